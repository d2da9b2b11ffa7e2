"""A statement's text as PREPARE and EXECUTE take it: each named value becomes a numbered
placeholder, in the order the values first appear, and EXECUTE passes them in that order."""

from __future__ import annotations

from adapters.sqlalchemy.prepared import PreparedText


def test_named_values_are_numbered_in_order_of_first_appearance() -> None:
    text = PreparedText("ta_7", "SELECT %(b)s, %(a)s::UUID WHERE x = %(b)s LIMIT %(c)s")
    assert text.prepare == "PREPARE ta_7 AS SELECT $1, $2::UUID WHERE x = $1 LIMIT $3"
    assert text.execute == "EXECUTE ta_7(%(b)s, %(a)s, %(c)s)"


def test_an_escaped_percent_sign_is_sent_as_one() -> None:
    # psycopg2 doubles a literal % only in a statement sent with values; PREPARE has none.
    text = PreparedText("ta_1", "SELECT '100%%' WHERE name LIKE %(q)s || '%%'")
    assert text.prepare == "PREPARE ta_1 AS SELECT '100%' WHERE name LIKE $1 || '%'"
    assert text.execute == "EXECUTE ta_1(%(q)s)"


def test_a_statement_without_values_is_executed_without_parentheses() -> None:
    text = PreparedText("ta_2", "SELECT 1")
    assert (text.prepare, text.execute) == ("PREPARE ta_2 AS SELECT 1", "EXECUTE ta_2")
