"""PostgreSQL (production) and SQLite (the embedded default) through SQLAlchemy 2."""
