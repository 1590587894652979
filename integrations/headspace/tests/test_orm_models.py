"""The PRD's success criteria, exercised through the shipped ORM models.

Every test runs on its own database migrated by the shipped Alembic revision.
"""

import warnings
from datetime import datetime, timedelta, timezone

import psycopg.errors
import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError


@pytest.fixture
def orm(app, host_package):
    from claude_headspace.models import Persona, Role

    return host_package.database.db, Role, Persona


def test_models_are_registered_in_the_models_package(host_package):
    import claude_headspace.models as models

    assert {"Role", "Persona"} <= set(models.__all__)
    assert models.Role.__tablename__ == "role"
    assert models.Persona.__tablename__ == "persona"
    assert {"role", "persona"} <= set(host_package.database.db.metadata.tables)


def test_role_and_persona_are_created_and_the_slug_is_read_back(orm, migrated):
    db, Role, Persona = orm
    role = Role(name="developer", description="Backend Python development")
    db.session.add(role)
    db.session.flush()
    persona = Persona(name="Con", role_id=role.id)
    db.session.add(persona)
    db.session.flush()
    # Read back by the INSERT itself (server-generated), no refresh needed.
    assert "slug" not in inspect(persona).expired_attributes
    assert persona.slug == f"developer-con-{persona.id}"
    db.session.commit()

    row = migrated.rows("SELECT id, slug, name, role_id FROM persona")
    assert row == [(persona.id, f"developer-con-{persona.id}", "Con", role.id)]


def test_first_persona_of_a_fresh_database_is_developer_con_1(orm):
    db, Role, Persona = orm
    developer = Role(name="developer")
    db.session.add(Persona(name="Con", role=developer))
    db.session.commit()
    assert db.session.scalars(select(Persona.slug)).all() == ["developer-con-1"]


def test_same_name_and_role_get_different_slugs_through_the_id(orm):
    db, Role, Persona = orm
    developer = Role(name="developer")
    first = Persona(name="Con", role=developer)
    second = Persona(name="Con", role=developer)
    db.session.add_all([first, second])
    db.session.commit()
    assert first.id != second.id
    assert first.slug == f"developer-con-{first.id}"
    assert second.slug == f"developer-con-{second.id}"


def test_slug_folds_case_accents_and_punctuation(orm):
    db, Role, Persona = orm
    role = Role(name="QA Lead")
    persona = Persona(name="  Zoë O'Brien! ", role=role)
    db.session.add(persona)
    db.session.commit()
    assert persona.slug == f"qa-lead-zoe-o-brien-{persona.id}"


def test_relationships_work_both_ways(orm):
    db, Role, Persona = orm
    developer = Role(name="developer")
    tester = Role(name="tester")
    con = Persona(name="Con", role=developer)
    gavin = Persona(name="Gavin", role=developer)
    verner = Persona(name="Verner", role=tester)
    db.session.add_all([developer, tester, con, gavin, verner])
    db.session.commit()
    con_id, verner_id = con.id, verner.id
    db.session.expunge_all()

    loaded_con = db.session.get(Persona, con_id)
    assert isinstance(loaded_con.role, Role)
    assert loaded_con.role.name == "developer"

    loaded_developer = db.session.execute(select(Role).where(Role.name == "developer")).scalar_one()
    assert [p.name for p in loaded_developer.personas] == ["Con", "Gavin"]
    assert all(p.role is loaded_developer for p in loaded_developer.personas)
    loaded_tester = db.session.execute(select(Role).where(Role.name == "tester")).scalar_one()
    assert [p.slug for p in loaded_tester.personas] == [f"tester-verner-{verner_id}"]
    empty = Role(name="pm")
    db.session.add(empty)
    db.session.commit()
    assert empty.personas == []


def test_appending_to_role_personas_sets_the_foreign_key(orm):
    db, Role, Persona = orm
    architect = Role(name="architect")
    robbo = Persona(name="Robbo")
    architect.personas.append(robbo)
    assert robbo.role is architect
    db.session.add(architect)
    db.session.commit()
    assert robbo.role_id == architect.id
    assert robbo.slug == f"architect-robbo-{robbo.id}"


def test_status_defaults_to_active_and_accepts_archived(orm, migrated):
    db, Role, Persona = orm
    role = Role(name="developer")
    con = Persona(name="Con", role=role)
    db.session.add(con)
    db.session.commit()
    assert con.status == "active"

    con.status = "archived"
    db.session.commit()
    assert migrated.scalar("SELECT status FROM persona WHERE id = %s", (con.id,)) == "archived"

    # The database default too, for clients that omit the column.
    migrated.run(f"INSERT INTO persona (name, role_id) VALUES ('Gavin', {role.id})")
    gavin = db.session.execute(select(Persona).where(Persona.name == "Gavin")).scalar_one()
    assert gavin.status == "active"


def test_status_outside_active_and_archived_is_refused(orm):
    db, Role, Persona = orm
    db.session.add(Persona(name="Con", role=Role(name="developer"), status="retired"))
    with pytest.raises(IntegrityError) as raised:
        db.session.commit()
    assert isinstance(raised.value.orig, psycopg.errors.CheckViolation)
    assert raised.value.orig.diag.constraint_name == "persona_status_check"
    db.session.rollback()
    assert db.session.scalar(select(Persona.id)) is None


def test_duplicate_role_name_raises_integrity_error(orm):
    db, Role, Persona = orm
    db.session.add(Role(name="developer"))
    db.session.commit()
    db.session.add(Role(name="developer"))
    with pytest.raises(IntegrityError) as raised:
        db.session.commit()
    assert isinstance(raised.value.orig, psycopg.errors.UniqueViolation)
    assert raised.value.orig.diag.constraint_name == "role_name_key"
    db.session.rollback()


@pytest.mark.parametrize("variant", ["Developer", "DEVELOPER", "Dévelopér", "developer!"])
def test_role_names_that_fold_alike_raise_integrity_error(orm, variant):
    db, Role, Persona = orm
    db.session.add(Role(name="developer"))
    db.session.commit()
    db.session.add(Role(name=variant))
    with pytest.raises(IntegrityError) as raised:
        db.session.commit()
    assert isinstance(raised.value.orig, psycopg.errors.UniqueViolation)
    assert raised.value.orig.diag.constraint_name == "role_name_folded_key"
    db.session.rollback()


def test_duplicate_slug_is_impossible_and_a_slug_change_is_refused(orm, migrated):
    db, Role, Persona = orm
    role = Role(name="developer")
    con = Persona(name="Con", role=role)
    gavin = Persona(name="Gavin", role=role)
    db.session.add_all([con, gavin])
    db.session.commit()
    # Through the ORM: the database refuses the change on flush.
    gavin.slug = con.slug
    with pytest.raises(IntegrityError) as raised:
        db.session.commit()
    assert isinstance(raised.value.orig, psycopg.errors.CheckViolation)
    assert raised.value.orig.diag.constraint_name == "persona_slug_immutable"
    db.session.rollback()
    assert gavin.slug == f"developer-gavin-{gavin.id}"
    # Through SQL: the same refusal.
    with pytest.raises(IntegrityError) as raised:
        db.session.execute(
            text("UPDATE persona SET slug = :slug WHERE id = :id"), {"slug": con.slug, "id": gavin.id}
        )
    assert isinstance(raised.value.orig, psycopg.errors.CheckViolation)
    assert raised.value.orig.diag.constraint_name == "persona_slug_immutable"
    db.session.rollback()
    # And the unique constraint stands behind it.
    assert migrated.scalar(
        "SELECT count(*) FROM pg_constraint WHERE conname = 'persona_slug_key' AND contype = 'u'"
    ) == 1


def test_renaming_a_persona_keeps_its_slug(orm):
    db, Role, Persona = orm
    con = Persona(name="Con", role=Role(name="developer"))
    db.session.add(con)
    db.session.commit()
    slug = con.slug
    con.name = "Connor"
    db.session.commit()
    db.session.expire_all()
    assert con.name == "Connor"
    assert con.slug == slug


def test_unknown_role_id_raises_integrity_error(orm):
    db, Role, Persona = orm
    db.session.add(Persona(name="Con", role_id=424242))
    with pytest.raises(IntegrityError) as raised:
        db.session.commit()
    assert isinstance(raised.value.orig, psycopg.errors.ForeignKeyViolation)
    assert raised.value.orig.diag.constraint_name == "persona_role_id_fkey"
    db.session.rollback()


def test_deleting_a_role_that_has_personas_raises_integrity_error(orm):
    db, Role, Persona = orm
    developer = Role(name="developer")
    db.session.add(Persona(name="Con", role=developer))
    db.session.commit()
    db.session.delete(developer)
    with pytest.raises(IntegrityError) as raised:
        db.session.commit()
    assert isinstance(raised.value.orig, psycopg.errors.ForeignKeyViolation)
    assert raised.value.orig.diag.constraint_name == "persona_role_id_fkey"
    db.session.rollback()
    assert db.session.scalar(select(Role.name)) == "developer"


def test_persona_without_role_raises_integrity_error(orm):
    db, Role, Persona = orm
    db.session.add(Persona(name="Con"))
    with pytest.raises(IntegrityError) as raised:
        db.session.commit()
    assert isinstance(raised.value.orig, psycopg.errors.NotNullViolation)
    db.session.rollback()


@pytest.mark.parametrize(
    "name, constraint",
    [
        ("   ", "persona_name_not_blank"),
        ("Con\nnewline", "persona_name_no_control"),
        ("x" * 101, "persona_name_length"),
        ("\u00a0\u200b\u2060", "persona_name_visible"),
        ("Con\u202eloc", "persona_name_no_bidi_control"),
        ("Con\u2066x", "persona_name_no_bidi_control"),
        ("Con\u0085", "persona_name_no_c1_control"),
        ("Co\u200bn", "persona_name_without_invisible"),
    ],
)
def test_bad_persona_names_raise_integrity_error(orm, name, constraint):
    db, Role, Persona = orm
    role = Role(name="developer")
    db.session.add(role)
    db.session.commit()
    db.session.add(Persona(name=name, role=role))
    with pytest.raises(IntegrityError) as raised:
        db.session.commit()
    assert raised.value.orig.diag.constraint_name == constraint
    db.session.rollback()
    assert db.session.scalar(select(Persona.id)) is None


def test_created_at_is_timezone_aware_and_defaults_to_utc_now(orm, host_package):
    db, Role, Persona = orm
    for model in (Role, Persona):
        column = model.__table__.c.created_at
        assert column.type.timezone is True
        default = column.default.arg(None)  # the Python-side default the ORM sends
        assert default.utcoffset() == timedelta(0)
    before = datetime.now(timezone.utc)
    con = Persona(name="Con", role=Role(name="developer"))
    db.session.add(con)
    db.session.commit()
    after = datetime.now(timezone.utc)
    db.session.expire_all()
    for stamp in (con.created_at, con.role.created_at):
        assert stamp.tzinfo is not None
        assert before <= stamp <= after


def test_merging_a_detached_persona_keeps_the_slug_and_saves_the_rest(orm, migrated):
    db, Role, Persona = orm
    con = Persona(name="Con", role=Role(name="developer"))
    db.session.add(con)
    db.session.commit()
    slug = con.slug
    db.session.expunge(con)  # detached, every attribute loaded
    con.name = "Connor"

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to warn about either
        merged = db.session.merge(con)  # writes the unchanged slug back: allowed
        db.session.commit()
    assert merged.slug == slug
    assert migrated.rows("SELECT name, slug FROM persona") == [("Connor", slug)]
    merged.slug = slug + "-x"
    with pytest.raises(IntegrityError) as raised:
        db.session.commit()
    assert raised.value.orig.diag.constraint_name == "persona_slug_immutable"
    db.session.rollback()
    assert migrated.rows("SELECT name, slug FROM persona") == [("Connor", slug)]
