# SPDX-License-Identifier: MIT (persona-registry, https://opensource.org/license/mit)
# persona-registry: the two additions to src/claude_headspace/models/__init__.py
# (PRD FR5). Keep the host's existing imports and __all__ entries; add the
# import line next to them and the two names to __all__.

from .persona import Persona
from .role import Role

__all__ = [
    # ... the host's existing model names ...
    "Persona",
    "Role",
]
