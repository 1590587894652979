# SPDX-License-Identifier: MIT (persona-registry, https://opensource.org/license/mit)
"""PersonaType: the kind of a persona, type_key (agent, person) by subtype (internal, external).

Shipped by persona-registry (integrations/headspace/headspace-layout/models/persona_type.py)
for a Claude Headspace host on the `headspace` layout: it replaces the host's
src/claude_headspace/models/persona_type.py. The table and its four rows
(1 agent/internal, 2 agent/external, 3 person/internal, 4 person/external) are
the host's revision ed3c7ae48539's; persona-registry adds nothing to it. The
model declares the database's constraint names, so Alembic's autogenerate
finds nothing to change.
"""

from typing import TYPE_CHECKING

from sqlalchemy import Integer, PrimaryKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import conv

from ..database import db

if TYPE_CHECKING:
    from .persona import Persona


class PersonaType(db.Model):
    """A row of `persona_types`."""

    __tablename__ = "persona_types"
    __table_args__ = (
        PrimaryKeyConstraint("id", name=conv("persona_types_pkey")),
        UniqueConstraint("type_key", "subtype", name=conv("uq_persona_type_key_subtype")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_key: Mapped[str] = mapped_column(String(16), nullable=False)
    subtype: Mapped[str] = mapped_column(String(16), nullable=False)

    # Deleting a type that personas still have is refused by the database
    # (fk_personas_persona_type_id, ON DELETE RESTRICT).
    personas: Mapped[list["Persona"]] = relationship(
        back_populates="persona_type", passive_deletes="all", order_by="Persona.id"
    )

    def __repr__(self) -> str:
        return f"<PersonaType id={self.id!r} type_key={self.type_key!r} subtype={self.subtype!r}>"
