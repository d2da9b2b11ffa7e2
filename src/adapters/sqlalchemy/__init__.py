"""PostgreSQL, the one database, through SQLAlchemy 2: schema, repositories, read side."""
