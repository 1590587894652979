"""The models and the migration describe the same schema.

Alembic's compare_metadata (what `alembic revision --autogenerate` uses) finds
no difference between the models and a database migrated by the revision;
and because Alembic does not compare CHECK constraints, primary-key names or
identity columns, a second test creates the tables from the models
(metadata.create_all) and compares the catalog with the migrated database.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, pool

from conftest import SQL_FILES, Database

CONSTRAINTS = """
SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid)
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
WHERE c.relname IN ('role', 'persona') ORDER BY 1, 2
"""

COLUMNS = """
SELECT table_name, column_name, ordinal_position, data_type, is_nullable,
       column_default, is_identity, identity_generation
FROM information_schema.columns
WHERE table_schema = 'public' AND table_name IN ('role', 'persona') ORDER BY 1, 3
"""

INDEXES = """
SELECT tablename, indexname, indexdef FROM pg_indexes
WHERE schemaname = 'public' AND tablename IN ('role', 'persona') ORDER BY 1, 2
"""


def diffs(database: Database, metadata) -> list:
    engine = create_engine(database.sqlalchemy_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "compare_server_default": True},
            )
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def test_compare_metadata_finds_no_difference(migrated, host_package):
    metadata = host_package.database.db.metadata
    assert set(metadata.tables) == {"role", "persona"}
    found = diffs(migrated, metadata)
    # alembic_version is Alembic's own and never reported; anything else is drift.
    assert found == []


def test_compare_metadata_would_notice_a_difference(migrated, host_package):
    """Guard against a comparison that cannot fail: a schema change is reported."""
    migrated.run("DROP INDEX ix_persona_role_id; ALTER TABLE role ADD COLUMN colour text")
    found = diffs(migrated, host_package.database.db.metadata)
    kinds = sorted(str(diff[0]) for diff in found)
    assert kinds == ["add_index", "remove_column"], found


def test_tables_created_from_the_models_equal_the_migrated_tables(migrated, new_database, host_package):
    from_models = new_database()
    metadata = host_package.database.db.metadata
    # The migrations' functions are no model objects, yet the CHECKs and the
    # folded unique index call them: create them as the revisions define them.
    from_models.run(FUNCTIONS)
    engine = create_engine(from_models.sqlalchemy_url, poolclass=pool.NullPool)
    try:
        metadata.create_all(engine)
    finally:
        engine.dispose()

    for query in (CONSTRAINTS, COLUMNS, INDEXES):
        assert from_models.rows(query) == migrated.rows(query)

    # The comparison covers what it should: every constraint the migration names.
    names = {row[1] for row in migrated.rows(CONSTRAINTS)}
    assert names == {
        "role_pkey", "role_name_key", "role_name_not_blank", "role_name_no_control",
        "role_name_length", "role_description_length",
        "role_name_visible", "role_name_no_c1_control", "role_name_no_bidi_control",
        "persona_name_visible", "persona_name_no_c1_control", "persona_name_no_bidi_control",
        "persona_pkey", "persona_slug_key", "persona_slug_format", "persona_slug_length",
        "persona_name_not_blank", "persona_name_no_control", "persona_name_length",
        "persona_description_length", "persona_status_check", "persona_role_id_fkey",
        "role_name_without_invisible", "persona_name_without_invisible",
    }


def _function_definitions() -> str:
    """The CREATE FUNCTION statements of the migrations that the models' DDL calls."""
    wanted = ("persona_registry_slug_part", "persona_registry_renders_blank", "persona_registry_has_invisible")
    statements = []
    for path in SQL_FILES:
        up = path.read_text(encoding="utf-8").split("-- migrate:down")[0]
        for chunk in up.split("CREATE FUNCTION ")[1:]:
            if chunk.startswith(wanted):
                body_end = chunk.index("$$;") + 3
                statements.append("CREATE FUNCTION " + chunk[:body_end])
    assert len(statements) == len(wanted), statements
    return "\n".join(statements)


FUNCTIONS = _function_definitions()


DDL_SCRIPT = """
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable
from claude_headspace.database import db
from claude_headspace import models
for table in db.metadata.sorted_tables:
    print(CreateTable(table).compile(dialect=postgresql.dialect()))
    for index in sorted(table.indexes, key=lambda index: index.name):
        print(CreateIndex(index).compile(dialect=postgresql.dialect()))
"""


def model_ddl(src: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", DDL_SCRIPT], cwd=src, capture_output=True, text=True, timeout=120,
        env=dict(os.environ, PYTHONPATH=str(src)),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_models_give_the_same_ddl_with_a_plain_flask_sqlalchemy_db(host, tmp_path):
    """A host whose `db` is a plain SQLAlchemy() (no DeclarativeBase, no naming convention)."""
    plain = tmp_path / "src"
    shutil.copytree(host.src / "claude_headspace", plain / "claude_headspace")
    (plain / "claude_headspace" / "database.py").write_text(
        "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n", encoding="utf-8"
    )
    plain_ddl = model_ddl(plain)
    assert "CONSTRAINT persona_role_id_fkey FOREIGN KEY(role_id) REFERENCES role (id)" in plain_ddl
    assert "CREATE INDEX ix_persona_role_id ON persona (role_id)" in plain_ddl
    assert plain_ddl == model_ddl(host.src)
