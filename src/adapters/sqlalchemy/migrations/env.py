"""Alembic's entry point: run migrations on the engine of the URL given by the caller."""

from __future__ import annotations

from alembic import context

from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.tables import metadata

config = context.config
database_url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
if not database_url:
    raise RuntimeError("no database URL: call adapters.sqlalchemy.migrations.upgrade(url)")

engine = make_engine(database_url)
try:
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
finally:
    engine.dispose()
