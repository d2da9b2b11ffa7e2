"""Driven adapters: PostgreSQL/SQLite through SQLAlchemy, bcrypt, PyJWT, the clock."""
