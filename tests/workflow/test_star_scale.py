"""The local indicators are asked on the points of their aspect's scale in the ruleset the
period follows: a province that rates kinerja lokal from 1 to 4 gets four choices, and a 5 is
refused in Indonesian; the shipped ruleset's 1 to 5 keeps its words."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.extensions import db
from app.services.appraisal import ratings
from app.services.errors import InvalidInput
from tests.conftest import signed_in
from tests.workflow.helpers import cast_of, publish_and_pin, supervisor_actor

SHIPPED = (Path(__file__).resolve().parents[2] / "rules" / "kinerja-asn-aceh.yaml").read_text()


def four_point_ruleset() -> str:
    document = yaml.safe_load(SHIPPED)
    document["name"] = "kinerja-bintang-empat"
    document["scales"]["bintang"]["max"] = 4
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _local_item(app, cast) -> ratings.FormItem:
    with app.app_context():
        form = ratings.rating_form(
            db.session, supervisor_actor(cast), cast.period, cast.subordinate
        )
        return next(item for item in form.items if item.aspect == "kinerja_lokal")


def test_the_form_asks_the_points_of_the_rulesets_scale(app):
    cast = cast_of(app)
    shipped = _local_item(app, cast)
    assert shipped.points == (1, 2, 3, 4, 5)
    assert shipped.options[0] == ("5", "5 – Sangat baik")

    publish_and_pin(
        app, cast.period, four_point_ruleset(), "bintang 1-4", "Skala bintang 1 sampai 4"
    )
    item = _local_item(app, cast)
    assert item.points == (1, 2, 3, 4)
    assert [value for value, _ in item.options] == ["4", "3", "2", "1"]
    assert ratings.parse_value(item, "4")[1] == 4
    with pytest.raises(InvalidInput, match="harus bintang 1 sampai 4"):
        ratings.parse_value(item, "5")

    page = signed_in(app, "penilai").get(f"/penilaian/{cast.period}/{cast.subordinate}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'name="value-{item.key}" value="4"' in html
    assert f'name="value-{item.key}" value="5"' not in html
