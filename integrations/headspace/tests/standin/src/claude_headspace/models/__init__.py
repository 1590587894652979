"""Stand-in for the host's models package (src/claude_headspace/models/__init__.py).

The host's existing models (Agent, Command, Turn, ...) are not reproduced
here; the lines marked below are exactly those of
integrations/headspace/models/__init__.snippet.py (a test checks it).
"""

# persona-registry: added
from .persona import Persona
from .role import Role

__all__ = [
    # persona-registry: added
    "Persona",
    "Role",
]
