"""One method -> permission map for every view and API: read or write.

With it a resource has two permissions (can_read, can_write) whatever its pages and endpoints,
which keeps config/roles.py short and makes the panel and the API agree by construction.
"""

from __future__ import annotations

READ = "read"
WRITE = "write"

METHOD_PERMISSIONS: dict[str, str] = {
    # ModelView pages
    "list": READ,
    "show": READ,
    "download": READ,
    "api": READ,
    "api_read": READ,
    "api_get": READ,
    "api_column_add": WRITE,
    "api_column_edit": WRITE,
    "api_create": WRITE,
    "api_update": WRITE,
    "api_delete": WRITE,
    "add": WRITE,
    "edit": WRITE,
    "delete": WRITE,
    "action": WRITE,
    "action_post": WRITE,
    # ModelRestApi endpoints
    "get": READ,
    "get_list": READ,
    "info": READ,
    "post": WRITE,
    "put": WRITE,
    # custom pages
    "index": READ,
    "team": READ,
    "form": WRITE,
    "preview": READ,
    "level": WRITE,
    "progress": READ,
    "mine": WRITE,
    "add_rhk": WRITE,
    "submit": WRITE,
    "review": WRITE,
    "unit_predicate": READ,  # Kepegawaian or the unit's leader: the service decides
    "peers": WRITE,
    "transition": WRITE,
    "close": WRITE,
}
