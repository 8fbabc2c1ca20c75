"""Names the database and the rules engine's input share: how an RHK is keyed, the public's
indicator code.

The engine's input names an RHK by its place in the SKP, and the catalogue names the public's
satisfaction by a code the YAML rules refer to; the input builder, the rating form and the
models must spell them alike, or a rating would silently stop matching its rule.
"""

from __future__ import annotations

#: The catalogue's code for the public's satisfaction (rated by citizens, not on the rating form).
PUBLIC_INDICATOR = "KEPUASAN_PUBLIK"


def rhk_key(position: int) -> str:
    """An RHK's key in the engine's input (``RHK-1``, ``RHK-2``, ...): stable within the SKP,
    since positions are renumbered without gaps when an RHK is removed."""
    return f"RHK-{position}"
