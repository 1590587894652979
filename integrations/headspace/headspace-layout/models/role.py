# SPDX-License-Identifier: MIT (persona-registry, https://opensource.org/license/mit)
"""Role: an agent specialisation (developer, tester, pm, architect).

Shipped by persona-registry (integrations/headspace/headspace-layout/models/role.py)
for a Claude Headspace host on the `headspace` layout: it replaces the host's
src/claude_headspace/models/role.py. The table is the host's own `roles`, made
by the host's revision 0462474af024; persona-registry's revisions 1001 and 1002
(migrations/headspace/*.sql) add the registry's rules to it. This model
declares the host's columns and the database's constraint and index names, so
Alembic's autogenerate finds nothing to change.

The rules of 1002: a role name must render visibly and hold no control,
bidirectional or invisible (default-ignorable) characters, a description holds at most 8000 characters, and two
role names that slugify alike (`developer`, `Developer`) are refused
(unique index roles_name_folded_key); all raise IntegrityError on flush.
"""

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import conv

from ..database import db

if TYPE_CHECKING:
    from .persona import Persona


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Role(db.Model):
    """A row of `roles`. Role names are unique, also once slugified; a role can
    have many personas."""

    __tablename__ = "roles"
    # Names wrapped in conv() are used verbatim, whatever naming convention the
    # host's metadata has: they are the names the database has (PostgreSQL's
    # defaults for the host's revision, the registry's for 1002).
    __table_args__ = (
        PrimaryKeyConstraint("id", name=conv("roles_pkey")),
        UniqueConstraint("name", name=conv("roles_name_key")),
        CheckConstraint("NOT persona_registry_renders_blank(name)", name=conv("roles_name_visible")),
        CheckConstraint(r"name !~ '[\u0001-\u001f\u007f-\u009f]'", name=conv("roles_name_no_control")),
        CheckConstraint(r"name !~ '[\u202a-\u202e\u2066-\u2069]'", name=conv("roles_name_no_bidi_control")),
        CheckConstraint("NOT persona_registry_has_invisible(name)", name=conv("roles_name_without_invisible")),
        CheckConstraint("char_length(description) <= 8000", name=conv("roles_description_length")),
        # Unique under the host's slugify: `developer` and `Developer` cannot coexist.
        Index(conv("roles_name_folded_key"), text("persona_registry_host_slugify(name)"), unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=_utc_now)

    # Deleting a role that still has personas is refused by the database
    # (foreign key personas_role_id_fkey); the ORM does not try to detach them.
    personas: Mapped[list["Persona"]] = relationship(
        back_populates="role", passive_deletes="all", order_by="Persona.id"
    )

    # The host's relationships to its other models stay as the host has them,
    # e.g. (when its Position model is there):
    # positions: Mapped[list["Position"]] = relationship("Position", back_populates="role")

    def __repr__(self) -> str:
        return f"<Role id={self.id!r} name={self.name!r}>"
