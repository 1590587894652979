# SPDX-License-Identifier: MIT (persona-registry, https://opensource.org/license/mit)
"""Persona: a named identity (Con the developer) with exactly one role and one type.

Shipped by persona-registry (integrations/headspace/headspace-layout/models/persona.py)
for a Claude Headspace host on the `headspace` layout: it replaces the host's
src/claude_headspace/models/persona.py. The table is the host's own `personas`
(revision 0462474af024, persona_type_id from ed3c7ae48539); persona-registry's
revisions 1001 and 1002 (migrations/headspace/*.sql) add the registry's rules
to it. This model declares the host's columns and the database's constraint
and index names, so Alembic's autogenerate finds nothing to change.

The slug, `{slugify(role)}-{slugify(name)}-{id}` (e.g. "developer-con-1"),
names the persona's directory, data/personas/<slug>/. The ORM inserts the
host's way: a temporary `_pending_<12 hex>` slug, then, in the same
transaction, an after_insert UPDATE to generate_slug(). The database's
BEFORE INSERT trigger persona_registry_slug (1002) has already set that very
value, whoever inserts, so the fix-up changes nothing and a `_pending_` slug is
never stored; after the flush `persona.slug` holds the stored slug. Changing a
slug afterwards is refused (SQLSTATE 23514, constraint personas_slug_immutable,
raised as IntegrityError on flush). On a database without 1002 the fix-up
alone sets the slug, as the host always did.
"""

import re
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from uuid import uuid4

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Mapped, attributes, mapped_column, relationship
from sqlalchemy.sql.elements import conv

from ..database import db

if TYPE_CHECKING:
    from .persona_type import PersonaType
    from .role import Role


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _pending_slug() -> str:
    """The temporary slug an insert sends; replaced before the row is stored."""
    return f"_pending_{uuid4().hex[:12]}"


_NOT_SLUG = re.compile("[^a-z0-9]+")


def slugify(text: str) -> str:
    """The host's slugify: lowercased (Python's str.lower()), every run of
    characters outside [a-z0-9] one hyphen, hyphens trimmed. No accent folding:
    "Zoë Straße" gives "zo-stra-e". The database's persona_registry_host_slugify
    (migrations/headspace/1001_host_tables.sql) computes the same."""
    return _NOT_SLUG.sub("-", text.lower().strip()).strip("-")


def persona_slug(role_name: str, name: str, persona_id: int) -> str:
    """The slug of persona `persona_id` named `name` whose role is `role_name`."""
    return f"{slugify(role_name)}-{slugify(name)}-{persona_id}"


class Persona(db.Model):
    """A row of `personas`. Its slug names its directory, data/personas/<slug>/."""

    __tablename__ = "personas"
    # Names wrapped in conv() are used verbatim, whatever naming convention the
    # host's metadata has: they are the names the database has (PostgreSQL's
    # defaults and fk_personas_persona_type_id for the host's revisions, the
    # registry's for 1002).
    __table_args__ = (
        PrimaryKeyConstraint("id", name=conv("personas_pkey")),
        UniqueConstraint("slug", name=conv("personas_slug_key")),
        ForeignKeyConstraint(["role_id"], ["roles.id"], name=conv("personas_role_id_fkey")),
        ForeignKeyConstraint(
            ["persona_type_id"],
            ["persona_types.id"],
            name=conv("fk_personas_persona_type_id"),
            ondelete="RESTRICT",
        ),
        Index(conv("persona_registry_personas_role_id"), "role_id"),
        CheckConstraint("NOT persona_registry_renders_blank(name)", name=conv("personas_name_visible")),
        CheckConstraint(r"name !~ '[\u0001-\u001f\u007f-\u009f]'", name=conv("personas_name_no_control")),
        CheckConstraint(r"name !~ '[\u202a-\u202e\u2066-\u2069]'", name=conv("personas_name_no_bidi_control")),
        CheckConstraint("NOT persona_registry_has_invisible(name)", name=conv("personas_name_without_invisible")),
        CheckConstraint("char_length(description) <= 8000", name=conv("personas_description_length")),
        CheckConstraint("status IN ('active', 'archived')", name=conv("personas_status_check")),
    )

    # In the database's column order (persona_type_id was added last).
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(128), nullable=False, default=_pending_slug)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    role_id: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=_utc_now)
    # 1: agent/internal (persona_types).
    persona_type_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    role: Mapped["Role"] = relationship(back_populates="personas")
    persona_type: Mapped["PersonaType"] = relationship(back_populates="personas")

    # The host's own members that concern its other models stay as the host
    # has them, e.g. (when its Agent model is there):
    # agents: Mapped[list["Agent"]] = relationship("Agent", back_populates="persona")

    def generate_slug(self) -> str:
        """The slug of this persona from its current role name, name and id:
        what the database assigns on insert. It differs from `slug` after a
        rename of the persona or its role: a slug never changes."""
        if self.id is None or self.role is None:
            raise ValueError("Persona.generate_slug() needs the persona's id and role: flush the persona first")
        return persona_slug(self.role.name, self.name, self.id)

    def __repr__(self) -> str:
        return f"<Persona id={self.id!r} slug={self.slug!r} status={self.status!r}>"


@event.listens_for(Persona, "after_insert")
def _replace_pending_slug(mapper, connection, target: Persona) -> None:
    """The host's fix-up, in the INSERT's transaction: the slug from the new id.

    The trigger persona_registry_slug already stored this value (an UPDATE to
    the same slug is allowed); on a database without it this UPDATE sets it.
    """
    role = target.__dict__.get("role")
    if role is not None:
        role_name = role.name
    else:
        # Only role_id was given: read the name on the flush's own connection.
        roles = Persona.__table__.metadata.tables["roles"]
        role_name = connection.execute(select(roles.c.name).where(roles.c.id == target.role_id)).scalar_one()
    slug = persona_slug(role_name, target.name, target.id)
    table = Persona.__table__
    connection.execute(table.update().where(table.c.id == target.id).values(slug=slug))
    # The stored value, without a pending change to flush again.
    attributes.set_committed_value(target, "slug", slug)
