"""The persona slug through the shipped model: Persona.generate_slug() against
the database's trigger, and a slug given before the first flush (as the host's
own tests do) ignored with one warning while the database's constraints still
decide.

Every test runs on its own database migrated by the shipped Alembic revision.
"""

import json
import random
import sys
import unicodedata
import warnings

import psycopg.errors
import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from conftest import REPO

# Shared with the Swift test of the same rules (Tests/IntegrationTests/SlugTests.swift).
SLUG_INPUTS = json.loads((REPO / "Tests" / "Fixtures" / "slug-inputs.json").read_text(encoding="utf-8"))


@pytest.fixture
def orm(app, host_package):
    from claude_headspace.models import Persona, Role

    return host_package.database.db, Role, Persona


@pytest.fixture
def persona_module(host_package):
    import claude_headspace.models.persona as module

    return module


def random_strings(alphabet: str, count: int, longest: int, rng: random.Random) -> list[str]:
    """`count` strings of 0 to `longest` code points drawn from `alphabet`."""
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]


def test_slug_part_agrees_with_the_database_on_the_shared_inputs(migrated, persona_module):
    rng = random.Random()
    inputs = SLUG_INPUTS["inputs"] + random_strings(SLUG_INPUTS["alphabet"], 300, 24, rng)
    for fallback, limit in (("persona", 100), ("role", 64), ("x", 4)):
        from_database = migrated.rows(
            "SELECT persona_registry_slug_part(t, %s, %s) FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n",
            (fallback, limit, inputs),
        )
        mismatches = [
            (text, database_part, persona_module.slug_part(text, fallback, limit))
            for text, (database_part,) in zip(inputs, from_database, strict=True)
            if persona_module.slug_part(text, fallback, limit) != database_part
        ]
        assert mismatches == [], f"(input, database, python) with fallback {fallback!r}, limit {limit}"


def storable(alphabet: str) -> str:
    """The characters of `alphabet` a name may hold whatever the schema's checks:
    no control, format or separator characters other than the plain space."""
    return "".join(
        ch for ch in alphabet
        if ch == " " or unicodedata.category(ch) not in ("Cc", "Cf", "Zs", "Zl", "Zp")
    )


def test_generate_slug_is_the_slug_the_database_assigns(orm, migrated):
    db, Role, Persona = orm
    rng = random.Random()
    alphabet = storable(SLUG_INPUTS["alphabet"])
    # A digit or letter in every name keeps it from being blank; the number
    # keeps role names unique however the schema folds their case.
    roles = [
        Role(name=f"{text}{rng.choice('aZ9')} {number}")
        for number, text in enumerate(random_strings(alphabet, 20, 40, rng))
    ]
    roles.append(Role(name="ß" * 64))  # folds to 128 letters, cut to 64
    names = [text + rng.choice("aZ9") for text in random_strings(alphabet, 200, 60, rng)]
    # Folded past the limit: cut to 100, once just after a hyphen.
    names += ["æ" * 100, "æ" * 49 + "é!y", "Con", "!!! 日本 !!!"]
    personas = [Persona(name=name, role=rng.choice(roles)) for name in names]
    db.session.add_all(personas)
    db.session.commit()

    stored = dict(migrated.rows("SELECT id, slug FROM persona"))
    mismatches = [
        (persona.role.name, persona.name, stored[persona.id], persona.generate_slug())
        for persona in personas
        if persona.generate_slug() != stored[persona.id] or persona.slug != stored[persona.id]
    ]
    assert mismatches == [], "(role, name, database slug, generate_slug())"
    assert len(stored) == len(names)


def test_generate_slug_uses_the_current_names_and_refuses_before_the_id_exists(orm):
    db, Role, Persona = orm
    con = Persona(name="Con", role=Role(name="developer"))
    with pytest.raises(ValueError, match="flush the persona first"):
        con.generate_slug()
    db.session.add(con)
    db.session.flush()
    assert con.generate_slug() == con.slug == f"developer-con-{con.id}"
    con.name = "Connor"
    con.role.name = "Lead Dev"
    db.session.commit()
    # The slug stays; generate_slug() is what an insert would give now.
    assert con.slug == f"developer-con-{con.id}"
    assert con.generate_slug() == f"lead-dev-connor-{con.id}"


def insert_column_lists(db) -> list[str]:
    """Collects the column list of every INSERT INTO persona the session's engine sends."""
    columns: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def capture(connection, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO persona "):
            columns.append(statement.split(" VALUES", 1)[0])

    return columns


def test_a_slug_given_to_the_constructor_warns_once_and_the_database_assigns_the_real_one(
    orm, migrated, persona_module
):
    db, Role, Persona = orm
    inserts = insert_column_lists(db)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = sys._getframe().f_lineno + 1
        con = Persona(name="Con", role=Role(name="developer"), slug="my-own-slug")
        assert con.slug is None
        db.session.add(con)
        db.session.flush()
        db.session.commit()

    assert [warning.category for warning in caught] == [persona_module.PersonaSlugIgnoredWarning]
    assert "'my-own-slug'" in str(caught[0].message)
    assert (caught[0].filename, caught[0].lineno) == (__file__, line)  # the developer's line
    assert len(inserts) == 1 and "slug" not in inserts[0]
    assert con.slug == f"developer-con-{con.id}"
    assert migrated.rows("SELECT slug FROM persona") == [(con.slug,)]


def test_a_slug_assigned_before_the_first_flush_warns_once_and_is_ignored(orm, persona_module):
    db, Role, Persona = orm
    inserts = insert_column_lists(db)
    con = Persona(name="Con", role=Role(name="developer"))
    db.session.add(con)
    with pytest.warns(persona_module.PersonaSlugIgnoredWarning, match="before the first flush") as caught:
        con.slug = "../../etc"
        db.session.commit()
    assert len(caught) == 1 and caught[0].filename == __file__
    assert len(inserts) == 1 and "slug" not in inserts[0]
    assert con.slug == f"developer-con-{con.id}"


def test_constructing_with_a_slug_and_no_name_raises_the_not_null_integrity_error(orm, persona_module):
    db, Role, Persona = orm
    role = Role(name="developer")
    db.session.add(role)
    db.session.flush()
    with pytest.warns(persona_module.PersonaSlugIgnoredWarning):
        db.session.add(Persona(name=None, role=role, slug="test-slug"))
    with pytest.raises(IntegrityError) as raised:
        db.session.flush()
    error = raised.value.orig
    assert isinstance(error, psycopg.errors.NotNullViolation)
    # PostgreSQL before 18 names the column, not a constraint, for NOT NULL.
    assert (error.diag.table_name, error.diag.column_name) == ("persona", "name")
    db.session.rollback()


def test_constructing_with_a_slug_and_no_role_raises_the_not_null_integrity_error(orm, persona_module):
    db, Role, Persona = orm
    with pytest.warns(persona_module.PersonaSlugIgnoredWarning):
        db.session.add(Persona(name="Orphan", role_id=None, slug="orphan-slug"))
    with pytest.raises(IntegrityError) as raised:
        db.session.flush()
    error = raised.value.orig
    assert isinstance(error, psycopg.errors.NotNullViolation)
    assert (error.diag.table_name, error.diag.column_name) == ("persona", "role_id")
    db.session.rollback()


def test_constructing_with_a_slug_and_an_unknown_role_raises_the_foreign_key_integrity_error(
    orm, persona_module
):
    db, Role, Persona = orm
    with pytest.warns(persona_module.PersonaSlugIgnoredWarning):
        db.session.add(Persona(name="Ghost", role_id=99999, slug="ghost-slug"))
    with pytest.raises(IntegrityError) as raised:
        db.session.flush()
    error = raised.value.orig
    assert isinstance(error, psycopg.errors.ForeignKeyViolation)
    assert error.diag.constraint_name == "persona_role_id_fkey"
    db.session.rollback()
    assert db.session.scalar(select(Persona.id)) is None
