"""The headspace layout's models, used the host's way, on a database the host's
own revisions made and 1001 and 1002 migrated (conftest: headspace_migrated,
with the operator Sam and the host's rows Con and Verner).

The ORM inserts a persona with a temporary `_pending_` slug and fixes it up in
after_insert, in the same transaction; the database's trigger has already set
the same slug, so the fix-up changes nothing and succeeds.
"""

import json
import random

import psycopg.errors
import pytest
from sqlalchemy import event, inspect, select, text
from sqlalchemy.exc import IntegrityError

from conftest import HOST_OWN_HEAD, REPO, host_insert_persona

SLUG_INPUTS = json.loads((REPO / "Tests" / "Fixtures" / "slug-inputs.json").read_text(encoding="utf-8"))


@pytest.fixture
def orm(headspace_app, headspace_package):
    models = headspace_package.models
    return headspace_package.database.db, models.Role, models.Persona, models.PersonaType


@pytest.fixture
def persona_module(headspace_package):
    import importlib

    return importlib.import_module(headspace_package.__name__ + ".models.persona")


def statements_to_personas(db) -> list[tuple[str, object]]:
    """Every INSERT into or UPDATE of personas the session's engine sends, with its parameters."""
    sent: list[tuple[str, object]] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def capture(connection, cursor, statement, parameters, context, executemany):
        if statement.startswith(("INSERT INTO personas", "UPDATE personas")):
            sent.append((statement.split(" ", 2)[0], parameters))

    return sent


def test_models_are_the_hosts_tables(orm):
    db, Role, Persona, PersonaType = orm
    assert (Role.__tablename__, Persona.__tablename__, PersonaType.__tablename__) == (
        "roles", "personas", "persona_types")
    columns = {column.name: column for column in Persona.__table__.columns}
    assert list(columns) == ["id", "slug", "name", "description", "status", "role_id", "created_at",
                             "persona_type_id"]
    assert (columns["slug"].type.length, columns["name"].type.length, columns["status"].type.length) == (128, 64, 16)
    assert all(column.server_default is None for column in columns.values())


def test_a_persona_is_inserted_the_hosts_way_and_its_slug_is_the_databases(orm, headspace_migrated):
    db, Role, Persona, PersonaType = orm
    sent = statements_to_personas(db)
    developer = db.session.execute(select(Role).where(Role.name == "developer")).scalar_one()
    zoe = Persona(name="Zoë Straße", role=developer)
    db.session.add(zoe)
    db.session.flush()

    # The INSERT carried a temporary slug; after_insert's UPDATE the generated one.
    (insert, insert_parameters), (update, update_parameters) = sent
    assert (insert, update) == ("INSERT", "UPDATE")
    assert [value for value in insert_parameters.values() if str(value).startswith("_pending_")]
    assert f"developer-zo-stra-e-{zoe.id}" in update_parameters.values()
    # Readable right after the flush, without a refresh, and what the database holds.
    assert "slug" not in inspect(zoe).expired_attributes and not inspect(zoe).attrs.slug.history.has_changes()
    assert zoe.slug == zoe.generate_slug() == f"developer-zo-stra-e-{zoe.id}"
    db.session.commit()
    assert headspace_migrated.rows("SELECT slug, status, persona_type_id FROM personas WHERE id = %s", (zoe.id,)) == [
        (f"developer-zo-stra-e-{zoe.id}", "active", 1)]
    assert headspace_migrated.scalar("SELECT count(*) FROM personas WHERE slug LIKE '\\_pending\\_%'") == 0
    assert len(sent) == 2  # the commit sent nothing more


def test_the_trigger_stores_the_slug_even_before_the_fix_up(orm, headspace_migrated):
    """Inside the transaction, between the INSERT and after_insert's UPDATE, the
    row already holds the real slug: the trigger replaced the temporary one."""
    db, Role, Persona, PersonaType = orm

    # By SQL: the INSERT alone stores the real slug.
    with db.engine.begin() as connection:
        stored = connection.execute(text(
            "INSERT INTO personas (slug, name, status, role_id, created_at, persona_type_id) "
            "SELECT '_pending_0123456789ab', 'Gavin', 'active', id, now(), 1 FROM roles WHERE name = 'tester' "
            "RETURNING id, slug")).one()
    assert stored.slug == f"tester-gavin-{stored.id}"

    # Through the ORM: a listener placed before the shipped fix-up sees the stored slug.
    seen = []

    def look(mapper, connection, target):
        seen.append(connection.execute(text("SELECT slug FROM personas WHERE id = :id"), {"id": target.id}).scalar())

    event.listen(Persona, "after_insert", look, insert=True)
    try:
        robbo = Persona(name="Robbo", role=db.session.get(Role, 2))
        db.session.add(robbo)
        db.session.commit()
    finally:
        event.remove(Persona, "after_insert", look)
    assert seen == [f"developer-robbo-{robbo.id}"] == [robbo.slug]


def test_a_persona_given_only_a_role_id_gets_its_slug_too(orm):
    db, Role, Persona, PersonaType = orm
    tester_id = db.session.execute(select(Role.id).where(Role.name == "tester")).scalar_one()
    gavin = Persona(name="Gavin O'Neill", role_id=tester_id, persona_type_id=2, description="external")
    db.session.add(gavin)
    db.session.commit()
    assert gavin.slug == f"tester-gavin-o-neill-{gavin.id}"
    db.session.expire_all()
    assert gavin.slug == f"tester-gavin-o-neill-{gavin.id}"
    assert (gavin.persona_type.type_key, gavin.persona_type.subtype) == ("agent", "external")
    assert gavin.role.name == "tester"


def test_a_slug_change_is_refused(orm, headspace_migrated):
    db, Role, Persona, PersonaType = orm
    con = db.session.execute(select(Persona).where(Persona.name == "Con")).scalar_one()
    verner = db.session.execute(select(Persona).where(Persona.name == "Verner")).scalar_one()
    con.slug = "developer-connor-2"
    with pytest.raises(IntegrityError) as raised:
        db.session.commit()
    assert isinstance(raised.value.orig, psycopg.errors.CheckViolation)
    assert raised.value.orig.diag.constraint_name == "personas_slug_immutable"
    db.session.rollback()
    assert con.slug == "developer-con-2"
    # Through SQL, also to another persona's slug: the same refusal before the unique key.
    with pytest.raises(IntegrityError) as raised:
        db.session.execute(text("UPDATE personas SET slug = :slug WHERE id = :id"), {"slug": con.slug, "id": verner.id})
    assert raised.value.orig.diag.constraint_name == "personas_slug_immutable"
    db.session.rollback()
    # A rename keeps the slug.
    con.name = "Connor"
    con.role.name = "Lead Dev"
    db.session.commit()
    db.session.expire_all()
    assert (con.name, con.slug, con.generate_slug()) == ("Connor", "developer-con-2", "lead-dev-connor-2")


def test_the_rules_of_1002_raise_integrity_errors(orm):
    db, Role, Persona, PersonaType = orm
    developer = db.session.get(Role, 2)
    cases = [
        (lambda: Role(name="DEVELOPER"), "roles_name_folded_key"),
        (lambda: Role(name="developer"), "roles_name_key"),
        (lambda: Role(name="\u200b\u00a0"), "roles_name_visible"),
        (lambda: Persona(name="Con\u202e", role=developer), "personas_name_no_bidi_control"),
        (lambda: Persona(name="Con\u0085", role=developer), "personas_name_no_control"),
        (lambda: Persona(name="Co\u200bn", role=developer), "personas_name_without_invisible"),
        (lambda: Role(name="dev\u2060eloper"), "roles_name_without_invisible"),
        (lambda: Persona(name="Con", role=developer, status="retired"), "personas_status_check"),
        (lambda: Persona(name="Con", role=developer, description="x" * 8001), "personas_description_length"),
        (lambda: Persona(name="x" * 64, role=Role(name="y" * 64)), "personas_slug_length"),
        (lambda: Persona(name="Con", role_id=424242), "personas_role_id_fkey"),
        (lambda: Persona(name="Con", role=developer, persona_type_id=9), "fk_personas_persona_type_id"),
    ]
    for make, constraint in cases:
        db.session.add(make())
        with pytest.raises(IntegrityError) as raised:
            db.session.commit()
        assert raised.value.orig.diag.constraint_name == constraint
        db.session.rollback()
    assert db.session.scalar(select(Persona.id).order_by(Persona.id.desc()).limit(1)) == 3


def test_deleting_a_role_or_type_in_use_is_refused(orm):
    db, Role, Persona, PersonaType = orm
    for row, constraint in ((db.session.get(Role, 2), "personas_role_id_fkey"),
                            (db.session.get(PersonaType, 3), "fk_personas_persona_type_id")):
        db.session.delete(row)
        with pytest.raises(IntegrityError) as raised:
            db.session.commit()
        assert isinstance(raised.value.orig, psycopg.errors.ForeignKeyViolation)
        assert raised.value.orig.diag.constraint_name == constraint
        db.session.rollback()


def test_python_slugify_is_the_databases(orm, headspace_migrated, persona_module):
    rng = random.Random()
    alphabet = SLUG_INPUTS["alphabet"] + "KİıẞSSǅ"
    inputs = SLUG_INPUTS["inputs"] + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(500)]
    inputs = [text_ for text_ in inputs if "\x00" not in text_]
    from_database = headspace_migrated.rows(
        "SELECT persona_registry_host_slugify(t) FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n",
        (inputs,))
    mismatches = [(text_, database, persona_module.slugify(text_))
                  for text_, (database,) in zip(inputs, from_database, strict=True)
                  if persona_module.slugify(text_) != database]
    assert mismatches == [], "(input, database, python)"


def test_generate_slug_is_the_slug_the_database_assigns(orm, headspace_migrated):
    db, Role, Persona, PersonaType = orm
    rng = random.Random()
    letters = "aZ9 -_.ëßİK日本Ωé'!"
    roles = [Role(name="".join(rng.choice(letters) for _ in range(rng.randint(0, 20))) + f"r{number}")
             for number in range(10)]
    personas = [Persona(name="".join(rng.choice(letters) for _ in range(rng.randint(0, 30))) + "p",
                        role=rng.choice(roles)) for _ in range(100)]
    db.session.add_all(personas)
    db.session.commit()
    stored = dict(headspace_migrated.rows("SELECT id, slug FROM personas"))
    assert [(p.name, p.slug, stored[p.id]) for p in personas if not (p.slug == p.generate_slug() == stored[p.id])] == []


def test_rows_the_host_inserts_by_sql_and_by_the_orm_agree(orm, headspace_migrated):
    db, Role, Persona, PersonaType = orm
    persona_id, slug = host_insert_persona(headspace_migrated, "Ana María", "tester", type_id=4)
    ana = db.session.get(Persona, persona_id)
    assert ana.slug == slug == f"tester-ana-mar-a-{persona_id}"
    assert ana.persona_type.subtype == "external"
    sam = db.session.execute(select(Persona).where(Persona.name == "Sam")).scalar_one()
    assert (sam.slug, sam.role.name, sam.persona_type.type_key) == ("operator-sam-1", "operator", "person")


def test_the_orm_still_works_without_the_registrys_trigger(orm, headspace_migrated, headspace_host):
    """A host that went down to 1001 (or never ran 1002): the fix-up alone sets the slug."""
    db, Role, Persona, PersonaType = orm
    db.session.remove()
    headspace_host.alembic(headspace_migrated, "downgrade", "persona_registry_1001")
    assert headspace_migrated.scalar("SELECT count(*) FROM pg_trigger WHERE tgname = 'persona_registry_slug'") == 0
    con = Persona(name="Con", role=db.session.get(Role, 2))
    db.session.add(con)
    db.session.commit()
    assert headspace_migrated.scalar("SELECT slug FROM personas WHERE id = %s", (con.id,)) == f"developer-con-{con.id}"
    db.session.remove()
    headspace_host.alembic(headspace_migrated, "downgrade", HOST_OWN_HEAD)
