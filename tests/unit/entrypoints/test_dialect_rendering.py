"""One reply per refusal, worded by each dialect: problem details, or DRF's bodies."""

from __future__ import annotations

from uuid import uuid4

from werkzeug.exceptions import UnprocessableEntity

from application.errors import InvalidInput, MissingCredentials, NotFound, WrongCredentials
from application.users import PASSWORDS_DIFFER
from domain.errors import EmailAlreadyUsed
from entrypoints.http.dialects import ORIGINAL, STRICT, dialect_for, drf, problems
from entrypoints.http.errors import FieldError, Kind, reply_for


def _webargs(messages: object) -> UnprocessableEntity:
    error = UnprocessableEntity()
    error.data = {"messages": messages}  # type: ignore[attr-defined]
    return error


def test_the_prefix_chooses_the_dialect() -> None:
    assert dialect_for("/v1/tasks") is ORIGINAL
    assert dialect_for("/v1") is ORIGINAL
    assert dialect_for("/tasks") is STRICT
    assert dialect_for("/v1tasks") is STRICT


def test_field_problems_are_found_wherever_webargs_filed_them() -> None:
    reply = reply_for(_webargs({"json": {"meta": {"is_admin": ["Bad."]}}, "query": {"x": ["No."]}}))
    assert reply.kind is Kind.INVALID
    assert reply.fields == (FieldError(("meta", "is_admin"), "Bad."), FieldError(("x",), "No."))


def test_a_body_that_does_not_parse_is_malformed_not_a_field_problem() -> None:
    reply = reply_for(_webargs({"json": ["Invalid JSON body."]}))
    assert (reply.kind, reply.message, reply.fields) == (Kind.MALFORMED, "Invalid JSON body.", ())


def test_no_credentials_and_wrong_credentials_are_kinds_of_their_own() -> None:
    assert reply_for(MissingCredentials("none")).kind is Kind.NO_CREDENTIALS
    assert reply_for(WrongCredentials("wrong")).kind is Kind.WRONG_CREDENTIALS


def test_problem_details_point_at_each_field() -> None:
    status, body = problems.render(reply_for(InvalidInput({"name": ["Too long."]})), None)
    assert status == 422
    assert body == {
        "type": "about:blank",
        "title": "Unprocessable Entity",
        "status": 422,
        "detail": "The input is not valid.",
        "errors": [{"pointer": "/name", "detail": "Too long."}],
    }


def test_pointers_escape_as_rfc_6901_says() -> None:
    assert problems.pointer(("a/b", "c~d")) == "/a~1b/c~0d"
    assert problems.pointer(()) == ""


def test_drf_words_validation_as_400_by_field_with_the_originals_wording() -> None:
    reply = reply_for(InvalidInput({"password2": [PASSWORDS_DIFFER], "name": ["Bad."]}))
    assert drf.render(reply, None) == (
        400,
        {"password": ["Passwords must match."], "name": ["Bad."]},
    )


def test_drf_words_a_taken_email_as_a_400_on_email() -> None:
    reply = reply_for(EmailAlreadyUsed("a@example.com"))
    assert reply.code == 409
    assert drf.render(reply, None) == (400, {"email": ["user with this email already exists."]})


def test_drf_names_what_was_not_found() -> None:
    assert drf.render(reply_for(NotFound("Task", uuid4())), None) == (
        404,
        {"detail": "No Task matches the given query."},
    )
