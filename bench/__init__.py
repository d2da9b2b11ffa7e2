"""Measures the service against the quality bars of docs/architecture.md §9 (``make bench``).

Never part of ``make test``: every figure here depends on the machine, so the bars are
checked by running the real service on loaded data and reported, not asserted in CI."""
