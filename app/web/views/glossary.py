"""The glossary page: the regulation's terms, open without signing in (they are public law)."""

from __future__ import annotations

from flask_appbuilder import BaseView, expose

from app.domain.glossary import TERMS


class GlossaryView(BaseView):
    """`/glosarium/`; each term has an anchor other pages link to."""

    route_base = "/glosarium"
    default_view = "index"

    @expose("/")
    def index(self) -> str:
        return self.render_template("kinerja/glossary.html", terms=TERMS)
