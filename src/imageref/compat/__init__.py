"""Backend.AI's ``ai.backend.common.docker`` surface, release by release.

Import the module of the release your code follows, so that the code says which
one it is:

- :mod:`imageref.compat.v2403`: Backend.AI 24.03 (what ``import imageref`` gives);
- :mod:`imageref.compat.v2609`: Backend.AI 26.09 (images under a registry, a
  project and a name).

Both read strings with the same rules; a release's differences live in its
module (see ``docs/compatibility.md``).
"""

from __future__ import annotations

__all__: list[str] = []
