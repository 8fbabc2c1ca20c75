"""One method -> permission map for FAB's own pages and endpoints: read or write.

With it a resource has two permissions (can_read, can_write) whatever its pages and endpoints,
which keeps config/roles.py short and makes the panel and the API agree by construction. A view
with pages of its own extends the map with them, beside the pages.
"""

from __future__ import annotations

READ = "read"
WRITE = "write"

METHOD_PERMISSIONS: dict[str, str] = {
    # ModelView pages
    "list": READ,
    "show": READ,
    "download": READ,
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
    # a BaseView's landing page
    "index": READ,
}
