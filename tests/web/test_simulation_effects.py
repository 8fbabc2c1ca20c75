"""Simulation for decisions: every result labelled (belum lengkap and tidak valid included), the
effect on awards (who gains, who loses) and on TPP (the sum of percentages, the band changes per
component), per SKPA; only periods in review or closed as targets. Checked against the closed
period's stored results, on SQLite and PostgreSQL, through the service, the panel and the API."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Evaluation, Indicator, Period, Rating
from app.services.actor import Actor
from app.services.authoring import simulation
from app.services.errors import InvalidInput
from config.roles import PERUMUS
from tests.conftest import api_token, login
from tests.web.ruleset_scenario import open_period_id

SHIPPED = Path(__file__).resolve().parents[2] / "rules" / "kinerja-asn-aceh.yaml"
OFFICER = Actor(user_id=None, username="perumus", roles=frozenset({PERUMUS}))
BAND = "{name: tpp-disiplin-baik, when: {indicator.DISIPLIN: {gte: 3.5}}, percent: 90}"
NEW_AWARD = (
    "  - name: uji-sangat-baik\n    when: {predicate: sangat_baik}\n    award: Uji Sangat Baik\n"
)


def changed_text() -> str:
    """The shipped rules with the 'disiplin baik' band lowered 90 → 80 and an award for every
    sangat baik."""
    text = SHIPPED.read_text(encoding="utf-8")
    assert BAND in text and "\nawards:\n" in text
    text = text.replace(BAND, BAND.replace("percent: 90", "percent: 80"))
    return text.replace("\nawards:\n", "\nawards:\n" + NEW_AWARD, 1)


@pytest.fixture(scope="module")
def closed(isolated_demo_app) -> dict:
    """The closed quarter, one of its results made invalid (a discipline rating of 9 on a 1–5
    scale), and what its stored results say (the oracle for the simulation's counts)."""
    with isolated_demo_app.app_context():
        period = db.session.scalars(select(Period).where(Period.state == "closed")).first()
        discipline = db.session.scalar(select(Indicator.id).where(Indicator.code == "DISIPLIN"))
        rating = db.session.scalars(
            select(Rating)
            .where(
                Rating.period_id == period.id,
                Rating.indicator_id == discipline,
                Rating.state == "submitted",
            )
            .order_by(Rating.id)
        ).first()
        rating.value_number = 9
        db.session.commit()
        stored = {
            e.employee_id: e.result
            for e in db.session.scalars(select(Evaluation).where(Evaluation.period_id == period.id))
        }
        return {"period": period.id, "invalid": rating.ratee_id, "stored": stored}


def test_an_open_period_is_refused_with_a_reason(isolated_demo_app):
    app = isolated_demo_app
    period_id = open_period_id(app)
    with app.app_context(), pytest.raises(InvalidInput, match="Peninjauan atau sudah Ditutup"):
        simulation.simulate(db.session, OFFICER, period_id, text=changed_text())
    client = app.test_client()
    login(client, "perumus")
    page = client.get(f"/aturan/1/simulasi?period_id={period_id}").get_data(as_text=True)
    assert 'id="galat-simulasi"' in page and "simulasi hanya dapat dijalankan" in page
    assert f'<option value="{period_id}"' not in page  # not offered
    api = client.post(
        "/api/v1/ruleset/simulate",
        headers=api_token(app, "perumus"),
        json={"period_id": period_id, "yaml_text": changed_text()},
    )
    assert api.status_code == 400 and "Peninjauan" in api.json["message"]["period_id"][0]


def test_awards_tpp_bands_and_skpa_follow_the_stored_results(isolated_demo_app, closed):
    with isolated_demo_app.app_context():
        report = simulation.simulate(db.session, OFFICER, closed["period"], text=changed_text())
        answer = report.summary()
        pairs = simulation.answer_for(db.session, OFFICER, report)["pairs"]
    # only predikat that change are pairs; the band change alone changes no predikat here
    assert all(pair["before"] != pair["after"] for pair in pairs)
    valid = {e: r for e, r in closed["stored"].items() if e != closed["invalid"]}
    sangat_baik = sum(1 for r in valid.values() if r.get("predicate") == "sangat_baik")
    in_band = sum(
        1
        for r in valid.values()
        if ((r.get("consequences") or {}).get("allowance") or {})
        .get("components", {})
        .get("disiplin")
        == 90
    )
    assert sangat_baik >= 5 and in_band >= 5  # the demo quarter holds enough of both

    # labelled buckets: the broken rating makes one result "tidak valid" on both sides
    assert answer["before"]["tidak_valid"] == answer["after"]["tidak_valid"] == 1
    assert sum(answer["before"].values()) == answer["employees"]
    award = next(row for row in answer["awards"] if row["award"] == "Uji Sangat Baik")
    assert award == {
        "award": "Uji Sangat Baik",
        "before": 0,
        "after": sangat_baik,
        "gained": sangat_baik,
        "lost": 0,
    }
    bands = {
        (row["component"], row["before"], row["after"]): row["count"] for row in answer["bands"]
    }
    assert bands == {("disiplin", "90", "80"): in_band}
    tpp = answer["tpp"]
    # the discipline component is 40 % of TPP: each employee in the band loses 0.4 × 10 points
    assert tpp["before_sum"] - tpp["after_sum"] == pytest.approx(4 * in_band, abs=0.02)
    with_tpp = sum(
        1
        for r in valid.values()
        if ((r.get("consequences") or {}).get("allowance") or {}).get("percent") is not None
    )
    assert tpp["before_n"] == tpp["after_n"] == with_tpp

    units = answer["units"]
    assert len(units) >= 2
    assert sum(u["employees"] for u in units) == answer["employees"]
    assert sum(u["changed"] for u in units) == answer["changed"]
    for side in ("before", "after"):
        total = Counter()
        for unit in units:
            total.update(unit[side])
        assert dict(total) == {k: v for k, v in answer[side].items()} | {
            k: 0 for k in simulation.BUCKETS if k not in total
        }
        assert sum(u[f"tpp_{side}"] for u in units) == pytest.approx(tpp[f"{side}_sum"], abs=0.1)


def test_the_panel_labels_every_bucket_and_shows_the_effects(isolated_demo_app, closed):
    app = isolated_demo_app
    with app.app_context():
        from app.services.authoring import ruleset_versions as versions

        pinned = db.session.get(Period, closed["period"]).ruleset_version
        draft = versions.create_draft(db.session, OFFICER, changed_text(), pinned.id, "uji")
        draft_id = draft.id
    client = app.test_client()
    login(client, "perumus")
    html = client.get(f"/aturan/{draft_id}/simulasi?period_id={closed['period']}").get_data(
        as_text=True
    )
    for words in (
        "Sangat Baik",
        "Belum lengkap",
        "Tidak valid",
        "Dampak pada penghargaan dan TPP",
        "Uji Sangat Baik",
        "Disiplin",
        "90% → 80%",
        "Per SKPA",
        "Jumlah persentase TPP",
    ):
        assert words in html, words
    for code in ("sangat_baik", "belum_lengkap", "tidak_valid"):  # never a code as a label
        assert f">{code}<" not in html
    assert 'id="daftar-berubah"' not in html  # a Perumus reads counts only
    confirm = client.get(f"/aturan/{draft_id}/terbitkan").get_data(as_text=True)
    assert "Jumlah persentase TPP" in confirm and "Uji Sangat Baik: mendapat" in confirm
