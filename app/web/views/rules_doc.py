"""docs/rules.md inside the app for policy officers: the rule language's reference, rendered.

The file is the repository's own (trusted) text, rendered with raw HTML disabled, so the page
is always the documentation that ships with the running version.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask_appbuilder import BaseView, expose, has_access
from markdown_it import MarkdownIt
from markupsafe import Markup

from app.web.permissions import METHOD_PERMISSIONS

RULES_DOC = Path(__file__).resolve().parents[3] / "docs" / "rules.md"


@lru_cache(maxsize=1)
def rules_html() -> Markup:
    """The reference as HTML (tables on, raw HTML off); read once per process."""
    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    return Markup(renderer.render(RULES_DOC.read_text(encoding="utf-8")))


class RulesDocView(BaseView):
    """`/aturan-panduan/`: readable by whoever may read rulesets."""

    route_base = "/aturan-panduan"
    class_permission_name = "RuleSet"
    method_permission_name = METHOD_PERMISSIONS
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> str:
        return self.render_template("kinerja/rules_doc.html", content=rules_html())
