"""Keberatan over HTTP: within the window after close the employee appeals with a reason; only
the atasan pejabat penilai decides (Kepegawaian where there is none); an upheld appeal sets the
override and keeps the computed predikat; every step is audited and shown to the employee."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Appeal, AuditLog, Evaluation, Period
from tests.conftest import signed_in
from tests.web.people import evaluation_id, people


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    return people(app)


def _appeal_of(app, evaluation):
    with app.app_context():
        return db.session.scalar(select(Appeal).where(Appeal.evaluation_id == evaluation))


def test_full_appeal_upheld_by_the_atasan_pejabat_penilai(app, cast):
    evaluation = evaluation_id(app, cast.pegawai, cast.closed_period)
    with app.app_context():
        computed = db.session.get(Evaluation, evaluation).predicate
    wanted = "sangat_baik" if computed != "sangat_baik" else "baik"
    pegawai = signed_in(app, "pegawai")
    form = pegawai.get(f"/keberatan/?evaluasi={evaluation}")
    assert 'id="ajukan-keberatan"' in form.text

    empty = pegawai.post(
        f"/keberatan/ajukan/{evaluation}", data={"reason": " "}, follow_redirects=True
    )
    assert "Alasan wajib diisi" in empty.text and _appeal_of(app, evaluation) is None

    filed = pegawai.post(
        f"/keberatan/ajukan/{evaluation}",
        data={
            "reason": "Dua RHK utama selesai melampaui target.",
            "requested_predicate": wanted,
        },
        follow_redirects=True,
    )
    assert "Keberatan diajukan" in filed.text
    appeal = _appeal_of(app, evaluation)
    assert (appeal.state, appeal.decider_id, appeal.requested_predicate) == (
        "diajukan",
        cast.atasan,
        wanted,
    )

    again = pegawai.post(
        f"/keberatan/ajukan/{evaluation}", data={"reason": "lagi"}, follow_redirects=True
    )
    assert "sudah pernah diajukan" in again.text

    # the rater is not the one who decides; an outsider does not even see it
    rater = signed_in(app, "penilai").post(
        f"/keberatan/{appeal.id}/putuskan",
        data={"decision": "uphold", "reason": "setuju", "predicate": wanted},
        follow_redirects=True,
    )
    assert "diputuskan oleh atasan pejabat penilai" in rater.text
    assert signed_in(app, "perumus").post(f"/keberatan/{appeal.id}/putuskan").status_code in (
        302,
        403,
    )

    atasan = signed_in(app, "atasan")
    assert f'data-keberatan="{appeal.id}"' in atasan.get("/keberatan/").text
    no_reason = atasan.post(
        f"/keberatan/{appeal.id}/putuskan",
        data={"decision": "uphold", "reason": ""},
        follow_redirects=True,
    )
    assert "Alasan wajib diisi" in no_reason.text
    upheld = atasan.post(
        f"/keberatan/{appeal.id}/putuskan",
        data={
            "decision": "uphold",
            "reason": "Bukti dukung realisasi meyakinkan.",
            "predicate": wanted,
        },
        follow_redirects=True,
    )
    assert "Keberatan dikabulkan" in upheld.text
    with app.app_context():
        row = db.session.get(Evaluation, evaluation)
        assert (row.predicate, row.override_predicate) == (computed, wanted)
        assert "Bukti dukung realisasi meyakinkan." in row.override_reason
        entries = db.session.scalars(
            select(AuditLog)
            .where((AuditLog.object_type == "appeal") & (AuditLog.object_id == appeal.id))
            .order_by(AuditLog.id)
        ).all()
        assert [e.action for e in entries] == ["keberatan.ajukan", "keberatan.dikabulkan"]
        # the decision and the override it makes are one action, one entry
        override = [i for i in entries[1].items if i["type"] == "evaluation"]
        assert [(i["id"], i["after"]["override_predicate"]) for i in override] == [
            (evaluation, wanted)
        ]
        assert entries[1].after["computed_predicate"] == computed

    final = atasan.post(
        f"/keberatan/{appeal.id}/putuskan",
        data={"decision": "reject", "reason": "berubah pikiran"},
        follow_redirects=True,
    )
    assert "keputusan bersifat final" in final.text

    mine = pegawai.get("/keberatan/").text
    assert "Keberatan diajukan" in mine and "Keberatan dikabulkan" in mine
    assert "Bukti dukung realisasi meyakinkan." in mine
    board = pegawai.get(f"/kinerja-saya/?periode={cast.closed_period}").text
    assert 'id="perubahan-predikat"' in board and "Keberatan dikabulkan" in board


def test_appeal_outside_the_window_or_before_close_is_refused(app, cast):
    penilai = signed_in(app, "penilai")
    open_evaluation = evaluation_id(app, cast.penilai, cast.open_period)
    early = penilai.post(
        f"/keberatan/ajukan/{open_evaluation}",
        data={"reason": "terlalu dini"},
        follow_redirects=True,
    )
    assert "setelah periode ditutup" in early.text
    closed_evaluation = evaluation_id(app, cast.penilai, cast.closed_period)
    with app.app_context():  # closed the day before yesterday: a 1-day window has ended
        period = db.session.get(Period, cast.closed_period)
        closed_at, period.closed_at = period.closed_at, period.closed_at - timedelta(days=2)
        db.session.commit()
    app.config["KINERJA_APPEAL_WINDOW_DAYS"] = 1
    try:
        late = penilai.post(
            f"/keberatan/ajukan/{closed_evaluation}",
            data={"reason": "lewat"},
            follow_redirects=True,
        )
    finally:
        app.config["KINERJA_APPEAL_WINDOW_DAYS"] = 14
        with app.app_context():
            db.session.get(Period, cast.closed_period).closed_at = closed_at
            db.session.commit()
    assert "Batas waktu keberatan (1 hari" in late.text
    assert _appeal_of(app, closed_evaluation) is None and _appeal_of(app, open_evaluation) is None


def test_someone_elses_evaluation_cannot_be_appealed(app, cast):
    other = evaluation_id(app, cast.colleague, cast.closed_period)
    response = signed_in(app, "pegawai").post(f"/keberatan/ajukan/{other}", data={"reason": "x"})
    assert response.status_code == 404 and "Hasil evaluasi tidak ditemukan" in response.text
    assert _appeal_of(app, other) is None


def test_without_an_atasan_pejabat_penilai_kepegawaian_decides_and_may_reject(app, cast):
    evaluation = evaluation_id(app, cast.atasan, cast.closed_period)
    signed_in(app, "atasan").post(
        f"/keberatan/ajukan/{evaluation}", data={"reason": "Beban kerja tambahan tidak dihitung."}
    )
    appeal = _appeal_of(app, evaluation)
    assert appeal.decider_id is None
    hr = signed_in(app, "kepegawaian")
    rejected = hr.post(
        f"/keberatan/{appeal.id}/putuskan",
        data={"decision": "reject", "reason": "Tidak ada bukti dukung."},
        follow_redirects=True,
    )
    assert "Keberatan ditolak" in rejected.text
    with app.app_context():
        row = db.session.get(Evaluation, evaluation)
        assert row.override_predicate is None
        assert db.session.get(Appeal, appeal.id).state == "ditolak"
