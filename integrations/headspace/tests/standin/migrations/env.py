"""Stand-in for the host's Alembic environment (online and offline modes)."""

import os

from alembic import context
from sqlalchemy import create_engine, pool

from claude_headspace import models  # noqa: F401  (registers the models)
from claude_headspace.database import db

target_metadata = db.metadata
url = os.environ["HOST_DATABASE_URL"]


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
