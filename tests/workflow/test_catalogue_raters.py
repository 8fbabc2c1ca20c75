"""The database's indicator catalogue reaches the engine on every path: a ruleset that lets a kind
decide an aspect none of whose indicators that kind may rate is refused when it is validated, and a
rating by a kind the catalogue does not allow (a catalogue changed after peers answered) makes the
employee's result `tidak_valid` with the Indonesian issue, in the live evaluation and at close."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Evaluation, Indicator, Period
from app.services.appraisal.evaluations import store_chunk
from app.services.authoring.rulesets import engine_ruleset
from app.services.authoring.simulation import draft_version
from app.services.errors import Conflict
from tests.conftest import api_token
from tests.web.ruleset_scenario import (
    BEHAVIOUR_BY_SUPERVISOR,
    employee_id_of,
    make_peer_sensitive,
    open_period_id,
)

SHIPPED = (Path(__file__).resolve().parents[2] / "rules" / "kinerja-asn-aceh.yaml").read_text()
# the public has a positive weight, but the catalogue lets it rate no BerAKHLAK value
PUBLIC_DECIDES_BEHAVIOUR = SHIPPED.replace(
    BEHAVIOUR_BY_SUPERVISOR, "    raters: [supervisor, public]\n    indicators:\n"
)


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _validate(app, text: str) -> dict:
    response = app.test_client().post(
        "/api/v1/ruleset/validate", json={"yaml_text": text}, headers=api_token(app, "perumus")
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def test_validation_refuses_an_aspect_decided_by_a_kind_the_catalogue_forbids(app):
    assert _validate(app, SHIPPED)["valid"] is True
    answer = _validate(app, PUBLIC_DECIDES_BEHAVIOUR)
    assert answer["valid"] is False
    (issue,) = answer["issues"]
    line = PUBLIC_DECIDES_BEHAVIOUR.splitlines()[issue["line"] - 1]
    assert line == "    raters: [supervisor, public]"
    assert line[issue["col"] - 1 :].startswith("public")
    assert issue["message"].startswith(
        "Jenis penilai 'public' tidak diizinkan katalog indikator menilai indikator aspek "
        "'perilaku_kerja'"
    )


def test_publishing_such_a_ruleset_is_refused(app):
    response = app.test_client().post(
        "/api/v1/ruleset/publish",
        json={"yaml_text": PUBLIC_DECIDES_BEHAVIOUR},
        headers=api_token(app, "perumus"),
    )
    assert response.status_code == 400
    assert "tidak diizinkan katalog indikator" in response.json["issues"][0]["message"]


def _stored(app, period_id: int, employee_id: int) -> Evaluation:
    with app.app_context():
        db.session.expire_all()
        return db.session.scalars(
            select(Evaluation).where(
                Evaluation.period_id == period_id, Evaluation.employee_id == employee_id
            )
        ).one()


def test_a_rating_by_a_kind_the_catalogue_no_longer_allows_makes_the_result_not_valid(app):
    """Three peers rate the behaviour values (allowed); then the policy officer takes peers off
    AKUNTABEL in the catalogue. The next evaluation refuses the peers' AKUNTABEL ratings."""
    period_id = open_period_id(app)
    employee_id = employee_id_of(app, "pegawai")
    make_peer_sensitive(app, period_id, employee_id)
    before = _stored(app, period_id, employee_id)
    assert before.status == "lengkap" and before.predicate is not None

    headers = api_token(app, "perumus")
    with app.app_context():
        indicator_id = db.session.scalars(
            select(Indicator.id).where(Indicator.code == "AKUNTABEL")
        ).one()
    changed = app.test_client().put(
        f"/api/v1/indicator/{indicator_id}",
        json={"rater_kinds": "supervisor,self"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.get_data(as_text=True)

    with app.app_context():  # the chunk step of close and of the live evaluation
        store_chunk(db.session, db.session.get(Period, period_id), [employee_id])
        db.session.commit()
    after = _stored(app, period_id, employee_id)
    assert after.status == "tidak_valid" and after.predicate is None
    issues = after.result["issues"]
    assert issues and all(
        "rekan kerja tidak boleh menilai indikator 'AKUNTABEL' (katalog indikator)" in issue
        for issue in issues
    ), issues

    restored = app.test_client().put(
        f"/api/v1/indicator/{indicator_id}",
        json={"rater_kinds": "supervisor,peer,self"},
        headers=headers,
    )
    assert restored.status_code == 200
    with app.app_context():
        store_chunk(db.session, db.session.get(Period, period_id), [employee_id])
        db.session.commit()
    assert _stored(app, period_id, employee_id).status == "lengkap"


def test_a_catalogue_that_no_longer_fits_a_ruleset_is_named_not_a_traceback(app):
    """Taking the supervisor off every BerAKHLAK value leaves the shipped ruleset's
    `raters: [supervisor]` deciding nothing it may rate: loading it says so in Indonesian."""
    shipped = draft_version(SHIPPED, name="kinerja-asn-aceh")
    with app.app_context():
        behaviour = select(Indicator).where(Indicator.aspect == "perilaku_kerja")
        rows = list(db.session.scalars(behaviour))
        kept = {row.id: row.rater_kinds for row in rows}
        assert engine_ruleset(db.session, shipped) is not None
        for row in rows:
            row.rater_kinds = "peer,self"
        db.session.commit()
        try:
            with pytest.raises(Conflict) as refused:
                engine_ruleset(db.session, shipped)
        finally:
            for row in rows:
                row.rater_kinds = kept[row.id]
            db.session.commit()
    assert "tidak sesuai dengan katalog indikator saat ini" in refused.value.message
    assert "Jenis penilai 'supervisor' tidak diizinkan katalog indikator" in refused.value.message
