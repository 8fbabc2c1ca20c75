"""The public side over HTTP, without login: a unit's feedback form and QR code, and the
accountability page with its protections (closed periods only, no figure for a group under 5,
awardees only with consent, never an individual rating)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import segno
from sqlalchemy import func, select

from app.extensions import db
from app.models import Employee, Evaluation, Period, Position, PublicFeedback, Unit
from app.services.public.public_feedback import period_of
from tests.web.people import people


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _feedback_count(app, unit_code=None):
    with app.app_context():
        query = select(func.count()).select_from(PublicFeedback)
        if unit_code:
            query = query.join(Unit, Unit.id == PublicFeedback.unit_id).where(
                Unit.code == unit_code
            )
        return db.session.scalar(query)


def test_feedback_form_needs_no_login_and_stores_no_personal_data(app):
    client = app.test_client()
    form = client.get("/publik/unit/DINSOS")
    assert form.status_code == 200 and "Dinas Sosial Aceh" in form.text
    assert 'name="website"' in form.text  # the honeypot
    response = client.post(
        "/publik/unit/DINSOS",
        data={"stars": "4", "comment": "Ramah"},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert response.status_code == 302
    assert "Terima kasih" in client.get(response.headers["Location"]).text
    with app.app_context():
        row = db.session.scalars(select(PublicFeedback).order_by(PublicFeedback.id.desc())).first()
        assert (row.stars, row.comment, row.employee_id) == (4, "Ramah", None)
        assert re.fullmatch(r"[0-9a-f]{64}", row.client_hash)
        assert "203.0.113.7" not in row.client_hash
        expected = period_of(db.session, row.created_at.date())
        assert row.period_id == (expected.id if expected else None)


def test_same_client_gives_the_same_hash_and_another_client_another(app):
    client = app.test_client()
    for address in ("198.51.100.1", "198.51.100.1", "198.51.100.2"):
        client.post(
            "/publik/unit/DINSOS", data={"stars": "5"}, environ_base={"REMOTE_ADDR": address}
        )
    with app.app_context():
        hashes = list(
            db.session.scalars(
                select(PublicFeedback.client_hash).order_by(PublicFeedback.id.desc()).limit(3)
            )
        )
    assert hashes[1] == hashes[2] and hashes[0] != hashes[1]


@pytest.mark.parametrize("stars", ["0", "6", "", "lima", "3.5"])
def test_bad_stars_are_refused_with_a_message_and_nothing_stored(app, stars):
    before = _feedback_count(app)
    response = app.test_client().post("/publik/unit/DINSOS", data={"stars": stars})
    assert response.status_code == 400 and "Pilih 1 sampai 5 bintang" in response.text
    assert _feedback_count(app) == before


def test_too_long_comment_is_refused(app):
    before = _feedback_count(app)
    response = app.test_client().post(
        "/publik/unit/DINSOS", data={"stars": "3", "comment": "x" * 2001}
    )
    assert response.status_code == 400 and "Komentar paling banyak" in response.text
    assert _feedback_count(app) == before


def test_honeypot_looks_accepted_but_stores_nothing(app):
    before = _feedback_count(app)
    response = app.test_client().post(
        "/publik/unit/DINSOS", data={"stars": "5", "website": "http://spam.example"}
    )
    assert response.status_code == 302 and "terima-kasih" in response.headers["Location"]
    assert _feedback_count(app) == before


def test_unknown_unit_is_an_indonesian_404(app):
    response = app.test_client().get("/publik/unit/TIDAK-ADA")
    assert response.status_code == 404 and "Unit tidak ditemukan" in response.text
    assert app.test_client().post("/publik/unit/TIDAK-ADA", data={"stars": "5"}).status_code == 404


def test_each_unit_has_a_qr_png_of_its_public_link(app):
    response = app.test_client().get("/publik/unit/BKA/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG\r\n\x1a\n")
    link = app.config["KINERJA_PUBLIC_URL"] + "/publik/unit/BKA"
    assert response.data == _png(segno.make(link, error="m"))
    page = app.test_client().get("/publik/").text
    assert "/publik/unit/BKA/qr.png" in page and link in page


def _png(qr: segno.QRCode) -> bytes:
    import io

    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


# --- the accountability page -------------------------------------------------------------


def _small_unit(app, size: int, consent: bool = True) -> str:
    """A new SKPA with `size` evaluated employees in the closed period, one with an award."""
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Unit))
        code = f"UJI{count}"
        unit = Unit(code=code, name=f"Badan Uji Akuntabilitas {count}")
        period = db.session.scalars(select(Period).where(Period.state == "closed")).first()
        position = db.session.scalars(select(Position)).first()
        db.session.add(unit)
        for n in range(size):
            person = Employee(
                nip=f"198001012005011{count * 10 + n:03d}",
                name=f"Pegawai Uji {count}-{n}",
                status="PNS",
                golongan="III/a",
                position=position,
                unit=unit,
                public_award_consent=consent and n == 0,
            )
            db.session.add(person)
            db.session.flush()
            predicate = "sangat_baik" if n == 0 else "baik"
            db.session.add(
                Evaluation(
                    period_id=period.id,
                    employee_id=person.id,
                    ruleset_version_id=period.ruleset_version_id,
                    status="lengkap",
                    predicate=predicate,
                    result={
                        "status": "lengkap",
                        "predicate": predicate,
                        "aspects": {},
                        "awards": ["Pegawai Berprestasi"] if n == 0 else [],
                        "training": [],
                        "consequences": {},
                        "fired": [],
                        "explanation": [],
                    },
                )
            )
        db.session.commit()
        return code


def _unit_block(html: str, code: str) -> str:
    match = re.search(rf'data-unit="{code}">(.*?)</div>\s*</div>\s*</div>', html, re.S)
    assert match, code
    return match.group(1)


def test_public_page_shows_closed_periods_per_skpa_without_individual_ratings(app):
    cast = people(app)
    html = app.test_client().get("/publik/").text
    with app.app_context():
        closed = db.session.get(Period, cast.closed_period)
        open_ = db.session.get(Period, cast.open_period)
        nips = list(db.session.scalars(select(Employee.nip)))
    assert f"Periode {closed.name}" in html and f"Periode {open_.name}" not in html
    block = _unit_block(html, "DISDIK")
    assert "Distribusi predikat" in block and "Pegawai dinilai" in block
    assert not any(nip in html for nip in nips)


def test_group_smaller_than_five_shows_no_figure_and_no_awardee(app):
    code = _small_unit(app, 4)
    block = _unit_block(app.test_client().get("/publik/").text, code)
    assert "Kelompok kurang dari 5 pegawai" in block
    assert "<svg" not in block and "Pegawai Uji" not in block


def test_group_of_five_shows_distribution_and_only_consenting_awardees(app):
    code = _small_unit(app, 5)
    shown = _unit_block(app.test_client().get("/publik/").text, code)
    # 1 sangat baik + 4 baik: both cells are small groups, so both are masked, and the total
    # becomes a range so that neither can be recovered by subtraction
    assert "Pegawai dinilai: 5–9" in shown and "<svg" in shown
    assert shown.count("&lt; 5</text>") == 2
    assert "Pegawai Berprestasi" in shown and re.search(r"Pegawai Uji \d+-0", shown)
    code = _small_unit(app, 6, consent=False)
    hidden = _unit_block(app.test_client().get("/publik/").text, code)
    assert "Pegawai dinilai: 5–9" in hidden and "Pegawai Berprestasi" not in hidden
    assert ">5</text>" in hidden and hidden.count("&lt; 5</text>") == 1


def test_small_cells_are_masked_and_the_total_becomes_a_range():
    from collections import Counter

    from app.services.public.accountability import masked

    cells, total = masked(Counter({"sangat_baik": 3, "baik": 28}), 31, 5)
    assert cells == {
        "sangat_baik": None,
        "baik": 28,
        "butuh_perbaikan": 0,
        "kurang": 0,
        "sangat_kurang": 0,
    }
    assert total == "30–34"
    cells, total = masked(Counter({"sangat_baik": 5, "baik": 20}), 25, 5)
    assert None not in cells.values() and total == "25"


def test_public_satisfaction_needs_five_responses_in_the_period(app):
    cast = people(app)
    with app.app_context():
        closed = db.session.get(Period, cast.closed_period)
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == "BPKA"))
        day = datetime.combine(closed.start_date, datetime.min.time()).replace(hour=10)
        for stars in (5, 4, 4, 3):
            db.session.add(
                PublicFeedback(unit_id=unit_id, stars=stars, client_hash="x" * 64, created_at=day)
            )
        db.session.commit()
    block = _unit_block(app.test_client().get("/publik/").text, "BPKA")
    assert "kurang dari 5 tanggapan" in block
    with app.app_context():
        db.session.add(
            PublicFeedback(unit_id=unit_id, stars=4, client_hash="y" * 64, created_at=day)
        )
        db.session.commit()
    block = _unit_block(app.test_client().get("/publik/").text, "BPKA")
    assert "4.00" in block and "(5 tanggapan)" in block


def test_running_satisfaction_appears_once_five_citizens_answered(app):
    client = app.test_client()
    with app.app_context():
        if period_of(db.session, date.today()) is None:
            pytest.skip("no open period covers today")
    for n, stars in enumerate((5, 5, 4, 4), start=1):
        client.post(
            "/publik/unit/DPUPR",
            data={"stars": stars},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n}"},
        )
    row = re.search(r'data-berjalan="DPUPR">(.*?)</tr>', client.get("/publik/").text, re.S).group(1)
    assert "Kurang dari 5 tanggapan" in row
    client.post("/publik/unit/DPUPR", data={"stars": 2}, environ_base={"REMOTE_ADDR": "192.0.2.9"})
    row = re.search(r'data-berjalan="DPUPR">(.*?)</tr>', client.get("/publik/").text, re.S).group(1)
    assert "4.00" in row and "<td>5</td>" in row
