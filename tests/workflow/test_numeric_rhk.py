"""A province that scores each RHK by its capaian (realisation against target, 0–200 %) instead
of the three ekspektasi levels: once its ruleset is pinned, the supervisor's form asks a number per
RHK next to the target and the employee's realisation, the service refuses numbers off the scale
in Indonesian, and the engine decides hasil kerja from the mean and the lowest utama capaian."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from app.domain.enums import EKSPEKTASI_LEVELS
from app.extensions import db
from app.models import Evaluation, Rating, Rhk, Skp
from tests.conftest import api_token, signed_in
from tests.workflow.helpers import cast_of, publish_and_pin

SHIPPED = (Path(__file__).resolve().parents[2] / "rules" / "kinerja-asn-aceh.yaml").read_text()
ATAS = EKSPEKTASI_LEVELS[2]


def capaian_ruleset() -> str:
    """The shipped ruleset with hasil kerja on a 0–200 capaian scale whose level names are the
    ekspektasi levels, so the predikat table stays; the unit leaders' rules are kept."""
    document = yaml.safe_load(SHIPPED)
    document["name"] = "kinerja-capaian-rhk"
    document["scales"]["capaian"] = {"min": 0, "max": 200, "levels": list(EKSPEKTASI_LEVELS)}
    document["aspects"]["hasil_kerja"]["scale"] = "capaian"
    leaders = [r for r in document["levels"]["hasil_kerja"] if r.get("without_ratings")]
    document["levels"]["hasil_kerja"] = leaders + [
        {
            "name": "capaian-di-atas",
            "level": ATAS,
            "when": {"all": [{"score": {"gte": 100}}, {"utama.min": {"gte": 90}}]},
        },
        {"name": "capaian-sesuai", "level": "sesuai_ekspektasi", "when": {"score": {"gte": 75}}},
        {"name": "capaian-di-bawah", "level": "di_bawah_ekspektasi"},
    ]
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    """The demo's open period pinned to the capaian ruleset, and the subordinate's approved SKP
    with two RHK utama."""
    cast = cast_of(app)
    publish_and_pin(
        app, cast.period, capaian_ruleset(), "capaian RHK", "RHK dinilai dengan capaian"
    )
    with app.app_context():
        skp = db.session.scalar(
            select(Skp).where(Skp.period_id == cast.period, Skp.employee_id == cast.subordinate)
        )
        approved = skp is not None and skp.state == "approved"
    if not approved:
        pegawai = signed_in(app, "pegawai")
        assert pegawai.get(f"/skp/saya/{cast.period}").status_code == 200
        with app.app_context():
            skp_id = db.session.scalar(
                select(Skp.id).where(
                    Skp.period_id == cast.period, Skp.employee_id == cast.subordinate
                )
            )
        for text in ("Laporan kinerja tepat waktu", "Data kepegawaian mutakhir"):
            pegawai.post(
                f"/skp/{skp_id}/rhk",
                data={"text": text, "iki": "Persentase", "target": "100%", "kind": "utama"},
            )
        pegawai.post(f"/skp/{skp_id}/ajukan")
        signed_in(app, "penilai").post(f"/skp/{skp_id}/tinjau", data={"decision": "approve"})
    return cast


def _rhk_ids(app, cast) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Rhk.id)
                .join(Skp, Skp.id == Rhk.skp_id)
                .where(Skp.period_id == cast.period, Skp.employee_id == cast.subordinate)
                .order_by(Rhk.position)
            )
        )


def test_the_form_asks_a_capaian_number_per_rhk(app, cast):
    html = (
        signed_in(app, "penilai")
        .get(f"/penilaian/{cast.period}/{cast.subordinate}")
        .get_data(as_text=True)
    )
    for rhk_id in _rhk_ids(app, cast):
        field = re.search(rf'<input type="number"[^>]*name="value-rhk:{rhk_id}"[^>]*>', html, re.S)
        assert field, html
        assert 'min="0"' in field.group(0) and 'max="200"' in field.group(0)
        assert f'name="value-rhk:{rhk_id}" value=' not in html  # no radio choices for RHK
    assert "Capaian terhadap target (angka 0 sampai 200)" in html
    assert 'type="radio" name="value-indicator:AKUNTABEL"' in html  # BerAKHLAK stays levels


def test_a_capaian_off_the_scale_is_refused_in_indonesian_and_nothing_stored(app, cast):
    rhk_id = _rhk_ids(app, cast)[0]
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Rating))
    headers = api_token(app, "penilai")
    for wrong in (250, "banyak", ATAS):
        body = {"period": cast.period, "ratee": cast.subordinate, "rhk": rhk_id, "value": wrong}
        response = app.test_client().post("/api/v1/rating/", headers=headers, json=body)
        assert response.status_code == 400
        assert "harus angka 0 sampai 200" in str(response.json["message"])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rating)) == before


def test_the_supervisor_scores_capaian_and_the_engine_decides_from_mean_and_lowest(app, cast):
    penilai = signed_in(app, "penilai")
    url = f"/penilaian/{cast.period}/{cast.subordinate}"
    html = penilai.get(url).get_data(as_text=True)
    first, second = _rhk_ids(app, cast)[:2]
    values = {f"value-rhk:{first}": "110", f"value-rhk:{second}": "95,5"}  # a decimal comma
    for key in sorted(set(re.findall(r'name="value-(indicator:[^"]+)"', html))):
        options = re.findall(rf'name="value-{re.escape(key)}" value="([^"]+)"', html)
        values[f"value-{key}"] = ATAS if ATAS in options else "5"
    answer = penilai.post(url, data={**values, "action": "submit"}, follow_redirects=True)
    assert answer.status_code == 200
    with app.app_context():
        stored = dict(
            db.session.execute(
                select(Rating.rhk_id, Rating.value_number).where(
                    Rating.period_id == cast.period,
                    Rating.ratee_id == cast.subordinate,
                    Rating.rhk_id.in_([first, second]),
                )
            ).all()
        )
        evaluation = db.session.scalar(
            select(Evaluation).where(
                Evaluation.period_id == cast.period, Evaluation.employee_id == cast.subordinate
            )
        )
    assert {k: float(v) for k, v in stored.items()} == {first: 110.0, second: 95.5}
    hasil = evaluation.result["aspects"]["hasil_kerja"]
    assert (hasil["total"], hasil["score"], hasil["min"]) == (2, 102.75, 95.5)
    assert hasil["utama"] == {"total": 2, "score": 102.75, "min": 95.5}
    assert hasil["level"] == ATAS and "capaian-di-atas" in evaluation.result["fired"]
    assert evaluation.status == "lengkap" and evaluation.predicate == "sangat_baik"

    lower = {**values, f"value-rhk:{second}": "85"}  # mean 97.5: sesuai, so baik
    penilai.post(url, data={**lower, "action": "submit"}, follow_redirects=True)
    with app.app_context():
        db.session.expire_all()
        evaluation = db.session.scalar(
            select(Evaluation).where(
                Evaluation.period_id == cast.period, Evaluation.employee_id == cast.subordinate
            )
        )
    assert evaluation.result["aspects"]["hasil_kerja"]["level"] == "sesuai_ekspektasi"
    assert evaluation.predicate == "baik"
