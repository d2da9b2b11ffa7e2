"""Driven adapters: PostgreSQL through SQLAlchemy, bcrypt, PyJWT, the clock."""
