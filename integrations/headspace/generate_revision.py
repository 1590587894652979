#!/usr/bin/env python3
"""Generate the Alembic revisions for the host from migrations/*.sql, one per file.

Each revision embeds the `-- migrate:up` and `-- migrate:down` sections of its
dbmate-format SQL file verbatim, so the host copies self-contained files and
the schema has one source of truth. Revision NNNN revises NNNN-1.

    python3 integrations/headspace/generate_revision.py           # (re)write the revisions
    python3 integrations/headspace/generate_revision.py --check   # exit 1 if one is out of date

The project's tests run `--check`: an edit to the SQL file without
regenerating fails the test suite.
"""

import argparse
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MIGRATIONS = REPO / "migrations"
VERSIONS = HERE / "migrations" / "versions"


@dataclass(frozen=True)
class Revision:
    """What a revision says of its SQL file: file-name suffix, title, summary."""

    name: str
    title: str
    summary: str


# One entry per migrations/NNNN_*.sql; a file without one is refused.
REVISIONS = {
    "0001": Revision(
        name="add_role_persona_tables",
        title="add role and persona tables",
        summary="""\
Claude Headspace, Epic 8 Sprint 1 (PRD FR6): creates `role`, then `persona`
with its foreign key to role, the slug trigger and the change notifications;
downgrade drops persona first, then role, and nothing else of the host's.""",
    ),
    "0002": Revision(
        name="role_name_folding",
        title="refuse role names that fold alike, blank-rendering and bidi names",
        summary="""\
Role names become unique under the slug's folding (`developer`, `Developer`);
names of only invisible characters count as blank; C1 and bidirectional
controls are refused in names. A database already holding such rows gets one
error naming them and nothing is changed. Touches only `role` and `persona`.""",
    ),
}


def revision_id(version: str) -> str:
    return f"persona_registry_{version}"


def revision_file(version: str) -> Path:
    return VERSIONS / f"{revision_id(version)}_{REVISIONS[version].name}.py"


def sql_files() -> list[Path]:
    return sorted(MIGRATIONS.glob("[0-9]*.sql"))

# persona-registry's bookkeeping, as in Sources/RegistryDatabase/Schema/Migrator.swift
# (versionTable, lockKey); the tests check both against that file.
REGISTRY_VERSION_TABLE = "persona_registry_schema_migrations"
REGISTRY_LOCK_KEY = 31373159785064039

UP_MARKER = "-- migrate:up"
DOWN_MARKER = "-- migrate:down"


class SectionError(ValueError):
    pass


def split_sections(sql: str) -> tuple[str, str]:
    """Return the (up, down) sections of a dbmate migration, stripped of blank edges.

    A marker is a line that starts with `-- migrate:up` / `-- migrate:down`
    (dbmate allows options after it, such as `transaction:false`, which this
    revision does not support and refuses).
    """
    up_lines: list[str] = []
    down_lines: list[str] = []
    current = None
    seen = {"up": 0, "down": 0}
    for line in sql.splitlines():
        stripped = line.strip()
        if stripped.startswith(UP_MARKER) or stripped.startswith(DOWN_MARKER):
            name = "up" if stripped.startswith(UP_MARKER) else "down"
            options = stripped[len(UP_MARKER if name == "up" else DOWN_MARKER):].strip()
            if options:
                raise SectionError(f"unsupported dbmate options on marker line: {line!r}")
            seen[name] += 1
            current = up_lines if name == "up" else down_lines
            continue
        if current is not None:
            current.append(line)
    if seen != {"up": 1, "down": 1}:
        raise SectionError(
            f"expected exactly one {UP_MARKER} and one {DOWN_MARKER} line, found {seen}"
        )
    up = "\n".join(up_lines).strip("\n") + "\n"
    down = "\n".join(down_lines).strip("\n") + "\n"
    if not up.strip() or not down.strip():
        raise SectionError("the up and down sections must both hold SQL")
    return up, down


def python_literal(text: str) -> str:
    """A readable Python literal for `text`: triple-quoted when that is exact."""
    if "\\" not in text and '"""' not in text and not text.endswith('"'):
        return '"""\\\n' + text + '"""'
    if '"""' not in text and not text.endswith(('"', "\\")):
        return 'r"""' + text + '"""'  # backslashes as written (regular-expression escapes)
    return repr(text)


def render(sql_bytes: bytes, sql_name: str) -> str:
    up, down = split_sections(sql_bytes.decode("utf-8"))
    digest = hashlib.sha256(sql_bytes).hexdigest()
    version = sql_name.split("_", 1)[0]
    if version not in REVISIONS:
        raise SectionError(f"no entry for version {version} in REVISIONS of generate_revision.py")
    about = REVISIONS[version]
    REVISION_ID = revision_id(version)
    previous = f"{int(version) - 1:0{len(version)}d}"
    first = previous not in REVISIONS
    edits = (
        "The only line a\nhost edits is `down_revision` below."
        if first
        else f"It follows\n{revision_id(previous)}; a host edits nothing."
    )
    revises = "" if first else " " + revision_id(previous)
    down_revision = (
        "# Set this to the host's current head (`alembic heads`) when copying the file.\ndown_revision = None"
        if first
        else f'down_revision = "{revision_id(previous)}"'
    )
    return f'''\
"""{about.title} (persona-registry {version})

{about.summary}

GENERATED by persona-registry's integrations/headspace/generate_revision.py
from migrations/{sql_name} (sha256 {digest}).
Do not edit the SQL here: edit the .sql file and regenerate. {edits}

Coexistence with `persona-registry migrate`: when persona-registry has already
applied {sql_name} to this database (recorded in {REGISTRY_VERSION_TABLE}
with this checksum), upgrade() creates nothing and Alembic only records its
revision; downgrade() then also removes that record, as
`persona-registry migrate down` would. Both take the registry's advisory lock.

Revision ID: {REVISION_ID}
Revises:{revises}
Create Date: generated
"""

from alembic import context, op
from sqlalchemy import text

# revision identifiers, used by Alembic.
revision = "{REVISION_ID}"
{down_revision}
branch_labels = None
depends_on = None

SOURCE_FILE = "{sql_name}"
SOURCE_VERSION = "{version}"
SOURCE_SHA256 = "{digest}"

# persona-registry's own bookkeeping (Sources/RegistryDatabase/Schema/Migrator.swift).
REGISTRY_VERSION_TABLE = "{REGISTRY_VERSION_TABLE}"
REGISTRY_LOCK_KEY = {REGISTRY_LOCK_KEY}

UP_SQL = {python_literal(up)}

DOWN_SQL = {python_literal(down)}


def _execute(sql: str) -> None:
    if context.is_offline_mode():
        # `alembic upgrade --sql`: write the SQL out verbatim (op.execute would
        # parse "[:space:]" as a bind parameter and double every "%").
        op.get_context().impl.static_output(sql)
    else:
        # The SQL holds dollar-quoted functions, several statements and "%"
        # signs: hand it to the DBAPI cursor as it is, with no parameters (no
        # SQLAlchemy text parsing, no placeholders), on Alembic's connection
        # and inside its transaction. Works with psycopg 3 and psycopg2.
        cursor = op.get_bind().connection.dbapi_connection.cursor()
        try:
            cursor.execute(sql)
        finally:
            cursor.close()


def _registry_checksum():
    """The checksum persona-registry recorded for SOURCE_VERSION, or None."""
    if context.is_offline_mode():
        return None
    bind = op.get_bind()
    # Held until Alembic's transaction ends; excludes a concurrent `persona-registry migrate`.
    bind.execute(text("SELECT pg_advisory_xact_lock(:key)"), {{"key": REGISTRY_LOCK_KEY}})
    if not bind.execute(text("SELECT to_regclass(:table) IS NOT NULL"), {{"table": REGISTRY_VERSION_TABLE}}).scalar():
        return None
    return bind.execute(
        text(f"SELECT checksum FROM {{REGISTRY_VERSION_TABLE}} WHERE version = :version"),
        {{"version": SOURCE_VERSION}},
    ).scalar()


def upgrade() -> None:
    recorded = _registry_checksum()
    if recorded is None:
        _execute(UP_SQL)
    elif recorded != SOURCE_SHA256:
        raise RuntimeError(
            f"persona-registry applied a different {{SOURCE_FILE}} to this database "
            f"(checksum {{recorded}}, this revision embeds {{SOURCE_SHA256}}); "
            "copy the revision generated from the same persona-registry release"
        )


def downgrade() -> None:
    recorded = _registry_checksum()
    _execute(DOWN_SQL)
    if recorded is not None:
        bind = op.get_bind()
        bind.execute(
            text(f"DELETE FROM {{REGISTRY_VERSION_TABLE}} WHERE version = :version"),
            {{"version": SOURCE_VERSION}},
        )
        if bind.execute(text(f"SELECT count(*) FROM {{REGISTRY_VERSION_TABLE}}")).scalar() == 0:
            bind.execute(text(f"DROP TABLE {{REGISTRY_VERSION_TABLE}}"))
'''


def check_or_write(sql: Path, output: Path, check: bool) -> bool:
    try:
        expected = render(sql.read_bytes(), sql.name)
    except (OSError, SectionError, UnicodeDecodeError) as error:
        print(f"generate_revision: {sql}: {error}", file=sys.stderr)
        return False
    if check:
        try:
            actual = output.read_text(encoding="utf-8")
        except OSError as error:
            print(f"generate_revision: {error}", file=sys.stderr)
            return False
        if actual != expected:
            print(
                f"generate_revision: {output} is out of date with {sql}; "
                f"run python3 {Path(__file__).relative_to(REPO)}",
                file=sys.stderr,
            )
            return False
        return True
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(expected, encoding="utf-8")
    print(f"wrote {output}")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a revision is out of date")
    parser.add_argument("--sql", type=Path, help="one dbmate SQL file (default: every migrations/*.sql)")
    parser.add_argument("--output", type=Path, help="the revision file of --sql (default: its shipped one)")
    args = parser.parse_args()
    sources = [args.sql] if args.sql else sql_files()
    ok = True
    for sql in sources:
        version = sql.name.split("_", 1)[0]
        if args.output:
            output = args.output
        elif version in REVISIONS:
            output = revision_file(version)
        else:
            print(f"generate_revision: {sql}: no entry for version {version} in REVISIONS", file=sys.stderr)
            ok = False
            continue
        ok = check_or_write(sql, output, args.check) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
