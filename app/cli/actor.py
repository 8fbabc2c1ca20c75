"""Who acts on the command line: the operating-system account, named in the audit trail."""

from __future__ import annotations

import getpass

from app.services.actor import Actor
from config.roles import ADMIN


def cli_actor() -> Actor:
    """An administrator named `cli:<os user>`: whoever runs `kinerja` on the server may do
    anything the database allows, and the trail says it came from the command line."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        name = "?"
    return Actor(user_id=None, username=f"cli:{name}", roles=frozenset({ADMIN}))
