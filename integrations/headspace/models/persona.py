# SPDX-License-Identifier: MIT (persona-registry, https://opensource.org/license/mit)
"""Persona: a named agent identity (Con the developer) with exactly one role.

Shipped by persona-registry (integrations/headspace/models/persona.py) for
Claude Headspace's models package. The table itself is created by the
migration persona_registry_0001 (migrations/0001_role_persona.sql) and its
name rules tightened by persona_registry_0002 (0002_role_name_folding.sql,
whose function a CHECK calls) and persona_registry_0003 (0003_invisible_names.sql); this model declares the same columns, constraint names and index names, so
Alembic's autogenerate finds nothing to change.

The slug, `{role}-{name}-{id}` (e.g. "developer-con-1"), belongs to the
database: a BEFORE INSERT trigger generates it, whoever inserts, and changing
it afterwards is refused (SQLSTATE 23514, constraint persona_slug_immutable,
raised as IntegrityError on flush). The model never sends a slug on insert:
one given before the first flush is ignored with a PersonaSlugIgnoredWarning,
and the generated value is read back by the flush. generate_slug() computes
the same slug in Python.
"""

import re
import sys
import warnings
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    FetchedValue,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Text,
    UniqueConstraint,
    func,
    inspect,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from sqlalchemy.sql.elements import conv

from ..database import db

if TYPE_CHECKING:
    from .role import Role


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


# The slug rules of the database function persona_registry_slug_part
# (migrations/0001_role_persona.sql), also mirrored in Swift
# (Sources/RegistryCore/Model/Slug.swift); tests compare all three.
# Case is folded by this table, not str.lower(), exactly as the SQL does with
# translate(): other letters (Greek, Cyrillic, ...) become separators.
ROLE_SLUG_LIMIT = 64
NAME_SLUG_LIMIT = 100
_SLUG_FOLDING = str.maketrans(
    {
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
        "þ": "th", "Þ": "th", "ĳ": "ij", "Ĳ": "ij",
    }
    | dict(
        zip(
            "àÀáÁâÂãÃäÄåÅāĀăĂąĄçÇćĆĉĈċĊčČďĎđĐðÐèÈéÉêÊëËēĒĕĔėĖęĘěĚĝĜğĞġĠģĢĥĤħĦìÌíÍîÎïÏĩĨīĪĭĬįĮıĵĴķĶĺĹļĻľĽŀĿłŁñÑńŃņŅňŇòÒóÓôÔõÕöÖøØōŌŏŎőŐŕŔŗŖřŘśŚŝŜşŞšŠţŢťŤŧŦùÙúÚûÛüÜũŨūŪŭŬůŮűŰųŲŵŴýÝÿŸŷŶźŹżŻžŽİABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "aaaaaaaaaaaaaaaaaaccccccccccddddddeeeeeeeeeeeeeeeeeegggggggghhhhiiiiiiiiiiiiiiiiijjkkllllllllllnnnnnnnnoooooooooooooooooorrrrrrssssssssttttttuuuuuuuuuuuuuuuuuuuuwwyyyyyyzzzzzziabcdefghijklmnopqrstuvwxyz",
            strict=True,
        )
    )
)
_SLUG_SEPARATORS = re.compile("[^a-z0-9]+")


def slug_part(text: str | None, fallback: str, limit: int) -> str:
    """One part of a slug, as the database computes it: accents folded,
    ASCII lowercased, every run of other characters one hyphen, hyphens
    trimmed, cut to `limit` characters, `fallback` when nothing is left."""
    if text is None:
        return fallback
    folded = _SLUG_SEPARATORS.sub("-", text.translate(_SLUG_FOLDING))
    return folded.strip("-")[:limit].strip("-") or fallback


class PersonaSlugIgnoredWarning(UserWarning):
    """A slug was given to a persona before its first flush: the database
    assigns the slug, so the given value is not sent."""


def _stacklevel_outside_orm() -> int:
    """The warnings.warn stacklevel, counted from the caller of this function,
    of the first frame outside this module and SQLAlchemy: the developer's line
    that gave the slug, whether through the constructor or an assignment."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module != __name__ and not module.startswith(("sqlalchemy.", "flask_sqlalchemy.")):
            break
        frame = frame.f_back
        level += 1
    return level


class Persona(db.Model):
    """A row of `persona`. Its slug names its directory, data/personas/<slug>/."""

    __tablename__ = "persona"
    # Names wrapped in conv() are used verbatim, whatever naming convention
    # the host's metadata has: they are the names the migration gives.
    __table_args__ = (
        PrimaryKeyConstraint("id", name=conv("persona_pkey")),
        UniqueConstraint("slug", name=conv("persona_slug_key")),
        ForeignKeyConstraint(["role_id"], ["role.id"], name=conv("persona_role_id_fkey")),
        Index(conv("ix_persona_role_id"), "role_id"),
        CheckConstraint(
            "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=conv("persona_slug_format")
        ),
        CheckConstraint("char_length(slug) <= 200", name=conv("persona_slug_length")),
        CheckConstraint("name ~ '[^[:space:]]'", name=conv("persona_name_not_blank")),
        CheckConstraint("name !~ '[[:cntrl:]]'", name=conv("persona_name_no_control")),
        CheckConstraint("char_length(name) <= 100", name=conv("persona_name_length")),
        CheckConstraint(
            "char_length(description) <= 8000", name=conv("persona_description_length")
        ),
        CheckConstraint(
            "status IN ('active', 'archived')", name=conv("persona_status_check")
        ),
        CheckConstraint("NOT persona_registry_renders_blank(name)", name=conv("persona_name_visible")),
        CheckConstraint(r"name !~ '[\u0080-\u009f]'", name=conv("persona_name_no_c1_control")),
        CheckConstraint(
            r"name !~ '[\u202a-\u202e\u2066-\u2069]'", name=conv("persona_name_no_bidi_control")
        ),
        CheckConstraint(
            "NOT persona_registry_has_invisible(name)", name=conv("persona_name_without_invisible")
        ),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(always=False), primary_key=True)
    # Generated by the database trigger persona_registry_slug: FetchedValue
    # keeps it out of the INSERT and reads it back (RETURNING) after the flush.
    slug: Mapped[str] = mapped_column(Text, nullable=False, server_default=FetchedValue())
    name: Mapped[str] = mapped_column(Text, nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(
        Text, nullable=False, default="active", server_default=text("'active'")
    )
    role_id: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True),
        nullable=False,
        default=_utc_now,
        server_default=func.now(),
    )

    role: Mapped["Role"] = relationship(back_populates="personas")

    @validates("slug")
    def _ignore_slug_before_first_flush(self, key: str, value: str | None) -> str | None:
        if inspect(self).has_identity:
            # Persisted: the value goes to the database, which keeps an unchanged
            # slug (session.merge writes it back) and refuses any other with
            # IntegrityError (persona_slug_immutable) on flush.
            return value
        if value is not None:
            warnings.warn(
                f"Persona.slug is assigned by the database ({{role}}-{{name}}-{{id}}); "
                f"the slug {value!r} given before the first flush is ignored: "
                "read persona.slug back after the flush",
                PersonaSlugIgnoredWarning,
                stacklevel=_stacklevel_outside_orm(),
            )
        # None leaves the column out of the INSERT: the trigger assigns the
        # slug and the flush reads it back (FetchedValue, RETURNING).
        return None

    def generate_slug(self) -> str:
        """The slug the database assigns this persona, `{role}-{name}-{id}`,
        from its current role name, name and id. It differs from `slug` after
        a rename of the persona or its role: a slug never changes."""
        if self.id is None or self.role is None:
            raise ValueError(
                "Persona.generate_slug() needs the persona's id and role: "
                "flush the persona first"
            )
        return (
            f"{slug_part(self.role.name, 'role', ROLE_SLUG_LIMIT)}"
            f"-{slug_part(self.name, 'persona', NAME_SLUG_LIMIT)}-{self.id}"
        )

    def __repr__(self) -> str:
        return f"<Persona id={self.id!r} slug={self.slug!r} status={self.status!r}>"
