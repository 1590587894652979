"""The headspace layout's models and the database the host's revisions plus
1001 and 1002 make describe the same schema.

Alembic's compare_metadata (what `alembic revision --autogenerate` and `flask db
migrate` use) finds no difference between the models and such a database; and
because Alembic does not compare CHECK constraints or primary-key names, a
second test creates the tables from the models (metadata.create_all) and
compares the catalog with the migrated database. The host's other tables
(organisations, positions) belong to its other models, which the stand-in does
not have: the comparison covers the tables of the shipped models.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, pool

from conftest import HOST_SQL_FILES, Database

TABLES = ("roles", "personas", "persona_types")

CONSTRAINTS = """
SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid)
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
WHERE c.relname IN ('roles', 'personas', 'persona_types') ORDER BY 1, 2
"""

COLUMNS = """
SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, is_nullable,
       column_default, is_identity
FROM information_schema.columns
WHERE table_schema = 'public' AND table_name IN ('roles', 'personas', 'persona_types') ORDER BY 1, 3
"""

INDEXES = """
SELECT tablename, indexname, indexdef FROM pg_indexes
WHERE schemaname = 'public' AND tablename IN ('roles', 'personas', 'persona_types') ORDER BY 1, 2
"""


def diffs(database: Database, metadata) -> list:
    def include_name(name, type_, parent_names):
        return type_ != "table" or name in metadata.tables

    engine = create_engine(database.sqlalchemy_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "compare_server_default": True, "include_name": include_name},
            )
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def test_compare_metadata_finds_no_difference(headspace_migrated, headspace_package):
    metadata = headspace_package.database.db.metadata
    assert set(metadata.tables) == set(TABLES)
    assert headspace_migrated.scalar("SELECT to_regclass('positions') IS NOT NULL")  # the host's own, not compared
    assert diffs(headspace_migrated, metadata) == []


def test_compare_metadata_would_notice_a_difference(headspace_migrated, headspace_package):
    """Guard against a comparison that cannot fail: schema changes are reported."""
    headspace_migrated.run(
        "DROP INDEX persona_registry_personas_role_id; ALTER TABLE roles ADD COLUMN colour text;"
        "ALTER TABLE personas ALTER COLUMN name TYPE varchar(65);"
        "ALTER TABLE personas DROP CONSTRAINT fk_personas_persona_type_id"
    )
    found = diffs(headspace_migrated, headspace_package.database.db.metadata)
    kinds = sorted(str(diff[0]) if isinstance(diff, tuple) else str(diff[0][0]) for diff in found)
    assert kinds == ["add_fk", "add_index", "modify_type", "remove_column"], found


def test_tables_created_from_the_models_equal_the_migrated_tables(headspace_migrated, new_database, headspace_package):
    from_models = new_database()
    # The migrations' functions are no model objects, yet the CHECKs and the
    # folded unique index call them: create them as 1001 defines them.
    from_models.run(FUNCTIONS)
    engine = create_engine(from_models.sqlalchemy_url, poolclass=pool.NullPool)
    try:
        headspace_package.database.db.metadata.create_all(engine)
    finally:
        engine.dispose()

    for query in (CONSTRAINTS, COLUMNS, INDEXES):
        assert from_models.rows(query) == headspace_migrated.rows(query)

    names = {row[1] for row in headspace_migrated.rows(CONSTRAINTS)}
    assert names == {
        "roles_pkey", "roles_name_key", "roles_name_visible", "roles_name_no_control",
        "roles_name_no_bidi_control", "roles_name_without_invisible", "roles_description_length",
        "personas_pkey", "personas_slug_key", "personas_role_id_fkey", "fk_personas_persona_type_id",
        "personas_name_visible", "personas_name_no_control", "personas_name_no_bidi_control",
        "personas_name_without_invisible",
        "personas_description_length", "personas_status_check",
        "persona_types_pkey", "uq_persona_type_key_subtype",
    }
    indexes = {row[1] for row in headspace_migrated.rows(INDEXES)}
    assert {"roles_name_folded_key", "persona_registry_personas_role_id"} <= indexes


def _function_definitions() -> str:
    """The CREATE FUNCTION statements of 1001 that the models' DDL calls."""
    wanted = ("persona_registry_host_slugify", "persona_registry_renders_blank", "persona_registry_has_invisible")
    up = HOST_SQL_FILES[0].read_text(encoding="utf-8").split("-- migrate:down")[0]
    statements = []
    for chunk in up.split("CREATE FUNCTION ")[1:]:
        if chunk.startswith(wanted):
            statements.append("CREATE FUNCTION " + chunk[: chunk.index("$$;") + 3])
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


def test_models_give_the_same_ddl_with_the_hosts_plain_flask_sqlalchemy_db(headspace_host, tmp_path):
    """The host's `db` is a plain SQLAlchemy() (no naming convention); the stand-in's has one."""
    plain = tmp_path / "src"
    shutil.copytree(headspace_host.src / "claude_headspace", plain / "claude_headspace")
    (plain / "claude_headspace" / "database.py").write_text(
        "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n", encoding="utf-8"
    )
    plain_ddl = model_ddl(plain)
    assert "CONSTRAINT personas_role_id_fkey FOREIGN KEY(role_id) REFERENCES roles (id)" in plain_ddl
    assert ("CONSTRAINT fk_personas_persona_type_id FOREIGN KEY(persona_type_id) REFERENCES persona_types (id) "
            "ON DELETE RESTRICT") in plain_ddl
    assert "CREATE INDEX persona_registry_personas_role_id ON personas (role_id)" in plain_ddl
    assert "slug VARCHAR(128) NOT NULL" in plain_ddl and " DEFAULT " not in plain_ddl  # as the host: no server defaults
    assert plain_ddl == model_ddl(headspace_host.src)
