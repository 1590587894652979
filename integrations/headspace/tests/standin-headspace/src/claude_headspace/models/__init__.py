"""Stand-in for the models package of a host on the `headspace` layout.

The host already has these three models (src/claude_headspace/models/__init__.py
imports them); the shipped files of integrations/headspace/headspace-layout/models/
replace its role.py, persona.py and persona_type.py, so this file stays as it is.
"""

from .persona import Persona
from .persona_type import PersonaType
from .role import Role

__all__ = [
    "Persona",
    "PersonaType",
    "Role",
]
