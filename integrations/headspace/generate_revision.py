#!/usr/bin/env python3
"""Generate the Alembic revisions for the host from the migrations' SQL, one per file.

Each revision embeds the `-- migrate:up` and `-- migrate:down` sections of its
dbmate-format SQL file verbatim, so the host copies self-contained files and
the schema has one source of truth. Revision NNNN revises NNNN-1. Two layouts:

- prd: migrations/NNNN_*.sql into migrations/versions/ (tables role, persona;
  the first revision's down_revision is the host's head, set when copying);
- headspace: migrations/headspace/NNNN_*.sql into
  headspace-layout/migrations/versions/ (the host's own tables roles, personas;
  the first revision revises the host's 0462474af024).

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
HOST_MIGRATIONS = MIGRATIONS / "headspace"
HOST_VERSIONS = HERE / "headspace-layout" / "migrations" / "versions"
# The host's revision that creates `roles` and `personas`: all 1001 needs.
HOST_TABLES_REVISION = "0462474af024"


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
    "0003": Revision(
        name="invisible_names",
        title="refuse names that hide characters",
        summary="""\
Role and persona names may no longer hold default-ignorable code points (zero
width space and joiners, word joiner, BOM, soft hyphen, variation selectors,
tags, ...): `Co<U+200B>n` would show as `Con` and be another persona. Existing
rows are not rewritten: the checks are validated only when no row breaks them,
else they hold for new and updated rows. Touches only `role` and `persona`.""",
    ),
}

# One entry per migrations/headspace/NNNN_*.sql (layout `headspace`).
HOST_REVISIONS = {
    "1001": Revision(
        name="host_tables",
        title="adopt the host's roles and personas tables",
        summary="""\
Layout `headspace`: the registry works on the host's own `roles` and
`personas` (made by the host's revision 0462474af024). Adopts them as they
are: no table is created or altered and no row is changed. Defines the
functions of the registry's rules (persona_registry_host_slugify,
persona_registry_renders_blank, persona_registry_has_invisible,
persona_registry_rule_breaks) and refuses
existing rows that break a rule (see "Existing rows" below). Downgrade drops
the functions and leaves the host's tables and rows.""",
    ),
    "1002": Revision(
        name="host_rules",
        title="the registry's rules on the host's roles and personas",
        summary="""\
Check constraints (visible names without control, bidirectional or invisible
characters, descriptions of at most 8000 characters, status active|archived),
role names unique under the host's slugify (index roles_name_folded_key), the index
persona_registry_personas_role_id, and the trigger persona_registry_slug: on
insert it sets slug = slugify(role)-slugify(name)-id (the value the host's ORM
writes in its after_insert fix-up, so that fix-up changes nothing) and fills
created_at, status and persona_type_id when omitted; a later slug change is
refused. Change notifications for the daemon. No row is changed; downgrade
removes only what this revision added.""",
    ),
}


@dataclass(frozen=True)
class Layout:
    """Where a layout's SQL files and revisions are, and what its first revision revises."""

    name: str
    migrations: Path
    versions: Path
    revisions: dict
    # The first revision's down_revision: None (the host sets its head) or a host revision.
    first_down_revision: str | None


LAYOUTS = (
    Layout("prd", MIGRATIONS, VERSIONS, REVISIONS, None),
    Layout("headspace", HOST_MIGRATIONS, HOST_VERSIONS, HOST_REVISIONS, HOST_TABLES_REVISION),
)


def layout_of(version: str) -> Layout | None:
    """The layout whose REVISIONS have `version` (the layouts' versions are disjoint)."""
    for layout in LAYOUTS:
        if version in layout.revisions:
            return layout
    return None


def revision_id(version: str) -> str:
    return f"persona_registry_{version}"


def revision_file(version: str) -> Path:
    layout = layout_of(version)
    if layout is None:
        raise KeyError(version)
    return layout.versions / f"{revision_id(version)}_{layout.revisions[version].name}.py"


def sql_files() -> list[Path]:
    """Every layout's SQL files: migrations/*.sql, then migrations/headspace/*.sql."""
    return [path for layout in LAYOUTS for path in sorted(layout.migrations.glob("[0-9]*.sql"))]

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
    layout = layout_of(version)
    if layout is None:
        raise SectionError(f"no entry for version {version} in REVISIONS or HOST_REVISIONS of generate_revision.py")
    about = layout.revisions[version]
    REVISION_ID = revision_id(version)
    previous = f"{int(version) - 1:0{len(version)}d}"
    first = previous not in layout.revisions
    host = layout.first_down_revision
    source = layout.migrations.relative_to(REPO).as_posix() + "/" + sql_name
    if first and host:
        edits = (
            f"A host whose\nhead is later than {host} may edit `down_revision` below, nothing else."
        )
    elif first:
        edits = "The only line a\nhost edits is `down_revision` below."
    else:
        edits = f"It follows\n{revision_id(previous)}; a host edits nothing."
    if first and host:
        revises = " " + host
        down_revision = f"""\
# The host's revision that creates `roles` and `personas`: all this revision needs.
# A host whose head is later may set its current head here (`alembic heads`),
# to keep one line of revisions (else `alembic heads` shows two heads).
down_revision = "{host}\""""
    else:
        revises = "" if first else " " + revision_id(previous)
        down_revision = (
            "# Set this to the host's current head (`alembic heads`) when copying the file.\ndown_revision = None"
            if first
            else f'down_revision = "{revision_id(previous)}"'
        )
    settings_doc, settings_code, apply_up, apply_down = ("", "", "", "")
    if layout.name == "headspace":
        settings_doc, settings_code = HOST_SETTINGS_DOC, HOST_SETTINGS_CODE
        apply_up = "\n        _apply_settings()"
        apply_down = "\n    _apply_settings()"
    return f'''\
# SPDX-License-Identifier: MIT (persona-registry, https://opensource.org/license/mit)
"""{about.title} (persona-registry {version})

{about.summary}

GENERATED by persona-registry's integrations/headspace/generate_revision.py
from {source} (sha256 {digest}).
Do not edit the SQL here: edit the .sql file and regenerate. {edits}

Coexistence with `persona-registry migrate`: when persona-registry has already
applied {sql_name} to this database (recorded in {REGISTRY_VERSION_TABLE}
with this checksum), upgrade() creates nothing and Alembic only records its
revision; downgrade() then also removes that record, as
`persona-registry migrate down` would. Both take the registry's advisory lock.
{settings_doc}
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
{settings_code}

def upgrade() -> None:
    recorded = _registry_checksum()
    if recorded is None:{apply_up}
        _execute(UP_SQL)
    elif recorded != SOURCE_SHA256:
        raise RuntimeError(
            f"persona-registry applied a different {{SOURCE_FILE}} to this database "
            f"(checksum {{recorded}}, this revision embeds {{SOURCE_SHA256}}); "
            "copy the revision generated from the same persona-registry release"
        )


def downgrade() -> None:
    recorded = _registry_checksum(){apply_down}
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


# The headspace layout's revisions pass `persona-registry migrate`'s settings
# (MigrationSettings.swift) from Alembic's -x arguments.
HOST_SETTINGS_DOC = """
Existing rows and data, as `persona-registry migrate` passes them: the Alembic
arguments `-x existing_rows=keep` (as `migrate up --existing-rows keep`) and
`-x drop_data=yes` (as `migrate down --drop-data`), e.g.
`alembic -x existing_rows=keep upgrade head`, or
`flask db upgrade -x existing_rows=keep`, become the transaction-local
settings persona_registry.existing_rows and persona_registry.drop_data, set
before the SQL runs (defaults: refuse, no). 1001 refuses existing rows that
break the registry's rules, one line each and nothing changed, unless
existing_rows=keep: then they stay, the rules hold for new and updated rows,
and `SELECT * FROM persona_registry_rule_breaks()` lists the kept rows.
drop_data=yes lets a downgrade of 1001 drop tables 1001 made although they
hold rows (tables it adopted, the host's, are never dropped).
"""

HOST_SETTINGS_CODE = '''

# `-x name=value` arguments of `alembic`/`flask db`: what `persona-registry
# migrate` passes as --existing-rows and --drop-data, set as the
# transaction-local settings the SQL reads (first value: the default).
SETTINGS = {
    "existing_rows": ("persona_registry.existing_rows", ("refuse", "keep")),
    "drop_data": ("persona_registry.drop_data", ("no", "yes")),
}


def _apply_settings() -> None:
    given = context.get_x_argument(as_dictionary=True)
    chosen = []
    for argument, (setting, allowed) in SETTINGS.items():
        value = given.get(argument) or allowed[0]
        if value not in allowed:
            raise ValueError(f"-x {argument}={value}: expected {' or '.join(allowed)}")
        chosen.append(f"set_config('{setting}', '{value}', true)")
    _execute("SELECT " + ", ".join(chosen) + ";\\n")
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
    parser.add_argument(
        "--sql", type=Path, help="one dbmate SQL file (default: every migrations/*.sql and migrations/headspace/*.sql)"
    )
    parser.add_argument("--output", type=Path, help="the revision file of --sql (default: its shipped one)")
    args = parser.parse_args()
    sources = [args.sql] if args.sql else sql_files()
    ok = True
    for sql in sources:
        version = sql.name.split("_", 1)[0]
        if args.output:
            output = args.output
        elif layout_of(version) is not None:
            output = revision_file(version)
        else:
            print(
                f"generate_revision: {sql}: no entry for version {version} in REVISIONS or HOST_REVISIONS",
                file=sys.stderr,
            )
            ok = False
            continue
        ok = check_or_write(sql, output, args.check) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
