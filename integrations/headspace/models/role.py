# SPDX-License-Identifier: MIT (persona-registry, https://opensource.org/license/mit)
"""Role: an agent specialisation (developer, tester, pm, architect).

Shipped by persona-registry (integrations/headspace/models/role.py) for
Claude Headspace's models package. The table itself is created by the
migration persona_registry_0001 (migrations/0001_role_persona.sql) and its
name rules tightened by persona_registry_0002 (0002_role_name_folding.sql,
whose functions the CHECK and the unique index call) and persona_registry_0003
(0003_invisible_names.sql, whose function a CHECK calls); this model declares the same columns, constraint names and index names, so
Alembic's autogenerate finds nothing to change.
"""

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Identity,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Text,
    UniqueConstraint,
    func,
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
    """A row of `role`. Role names are unique, also once folded as the slug folds
    them; a role can have many personas."""

    __tablename__ = "role"
    # Names wrapped in conv() are used verbatim, whatever naming convention
    # the host's metadata has: they are the names the migration gives.
    __table_args__ = (
        PrimaryKeyConstraint("id", name=conv("role_pkey")),
        UniqueConstraint("name", name=conv("role_name_key")),
        CheckConstraint("name ~ '[^[:space:]]'", name=conv("role_name_not_blank")),
        CheckConstraint("name !~ '[[:cntrl:]]'", name=conv("role_name_no_control")),
        CheckConstraint("char_length(name) <= 64", name=conv("role_name_length")),
        CheckConstraint(
            "char_length(description) <= 8000", name=conv("role_description_length")
        ),
        CheckConstraint("NOT persona_registry_renders_blank(name)", name=conv("role_name_visible")),
        CheckConstraint(r"name !~ '[\u0080-\u009f]'", name=conv("role_name_no_c1_control")),
        CheckConstraint(
            r"name !~ '[\u202a-\u202e\u2066-\u2069]'", name=conv("role_name_no_bidi_control")
        ),
        CheckConstraint(
            "NOT persona_registry_has_invisible(name)", name=conv("role_name_without_invisible")
        ),
        # Unique under the slug's folding: `developer` and `Developer` cannot coexist.
        Index(
            conv("role_name_folded_key"),
            text("persona_registry_slug_part(name, 'role', 64)"),
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(always=False), primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True),
        nullable=False,
        default=_utc_now,
        server_default=func.now(),
    )

    # Deleting a role that still has personas is refused by the database
    # (foreign key persona_role_id_fkey); the ORM does not try to detach them.
    personas: Mapped[list["Persona"]] = relationship(
        back_populates="role", passive_deletes="all", order_by="Persona.id"
    )

    def __repr__(self) -> str:
        return f"<Role id={self.id!r} name={self.name!r}>"
