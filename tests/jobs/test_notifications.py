"""Notifications: a row in the person's to-do list and an e-mail through SMTP (a local aiosmtpd
server started here) for SKP submitted/approved, rating finished, appeal filed/decided and the
reminders before a period's deadline; with SMTP unset, the rows only."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from flask import Flask
from sqlalchemy import select, update

from app.domain.enums import EKSPEKTASI_LEVELS
from app.extensions import db
from app.models import Appeal, Employee, Evaluation, Notification, Period, Skp
from app.services import notifications
from app.services.appraisal import appeals
from tests.conftest import build_app, seed_demo, signed_in
from tests.databases import fresh_database
from tests.workflow.helpers import actor_of, cast_of


class Inbox:
    """What the SMTP server received: (recipients, subject)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        message = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(message["Subject"])))
        self.messages.append((list(envelope.rcpt_tos), subject))
        return "250 OK"

    def to(self, address: str) -> list[str]:
        return [subject for rcpt, subject in self.messages if address in rcpt]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def app(backend: str, smtp, tmp_path_factory) -> Iterator[Flask]:
    with fresh_database(backend, tmp_path_factory.mktemp(f"mail-{backend}")) as url:
        app = build_app(url, KINERJA_SMTP_HOST="127.0.0.1", KINERJA_SMTP_PORT=smtp[1])
        seed_demo(app)
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _rows(app: Flask, username: str) -> list[Notification]:
    from flask_appbuilder.security.sqla.models import User

    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        rows = list(
            db.session.scalars(
                select(Notification)
                .where(Notification.user_id == user_id)
                .order_by(Notification.id)
            )
        )
        db.session.expunge_all()
        return rows


def _mail(username: str) -> str:
    return f"{username}@demo.kinerja.local"


def test_skp_and_rating_notify_by_row_and_by_mail(app, smtp):
    inbox, _ = smtp
    cast = cast_of(app)
    pegawai, penilai = signed_in(app, "pegawai"), signed_in(app, "penilai")
    pegawai.get(f"/skp/saya/{cast.period}")
    with app.app_context():
        skp_id = db.session.scalar(
            select(Skp.id).where(Skp.period_id == cast.period, Skp.employee_id == cast.subordinate)
        )
    pegawai.post(
        f"/skp/{skp_id}/rhk",
        data={
            "text": "Laporan tepat waktu",
            "iki": "Persentase",
            "target": "100%",
            "kind": "utama",
        },
    )
    pegawai.post(f"/skp/{skp_id}/ajukan")
    assert [row.kind for row in _rows(app, "penilai")] == ["skp_diajukan"]
    assert any("menunggu persetujuan" in s for s in inbox.to(_mail("penilai")))

    penilai.post(f"/skp/{skp_id}/tinjau", data={"decision": "approve"})
    assert "skp_approved" in [row.kind for row in _rows(app, "pegawai")]
    assert any("disetujui" in s for s in inbox.to(_mail("pegawai")))

    url = f"/penilaian/{cast.period}/{cast.subordinate}"
    html = penilai.get(url).get_data(as_text=True)
    values = {}
    for key in set(re.findall(r'name="value-([^"]+)"', html)):
        options = re.findall(rf'name="value-{re.escape(key)}" value="([^"]+)"', html)
        values[f"value-{key}"] = EKSPEKTASI_LEVELS[1] if EKSPEKTASI_LEVELS[1] in options else "4"
    assert penilai.post(url, data={**values, "action": "submit"}).status_code == 302
    assert "penilaian_selesai" in [row.kind for row in _rows(app, "pegawai")]
    assert any("Penilaian periode" in s for s in inbox.to(_mail("pegawai")))
    assert all(row.emailed_at is not None for row in _rows(app, "pegawai"))


def test_unread_notifications_lead_the_to_do_list_and_open_as_read(app):
    penilai = signed_in(app, "penilai")
    home = penilai.get("/").get_data(as_text=True)
    assert 'data-key="pemberitahuan"' in home and "pemberitahuan belum dibaca" in home
    row = _rows(app, "penilai")[0]
    opened = penilai.get(f"/pemberitahuan/{row.id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(row.link)
    assert _rows(app, "penilai")[0].read_at is not None
    assert 'data-key="pemberitahuan"' not in penilai.get("/").get_data(as_text=True)
    # someone else's message is neither shown nor marked
    other = signed_in(app, "pegawai").get(f"/pemberitahuan/{row.id}")
    assert other.status_code == 302 and other.headers["Location"].endswith("/pemberitahuan/")


def test_appeal_filed_and_decided_notify_both_sides(app, smtp):
    inbox, _ = smtp
    cast = cast_of(app)
    with app.app_context():
        closed = db.session.scalars(select(Period).where(Period.state == "closed")).first()
        evaluation = db.session.scalar(
            select(Evaluation).where(
                Evaluation.period_id == closed.id, Evaluation.employee_id == cast.subordinate
            )
        )
        appellant = actor_of(cast.subordinate, "Pegawai")
        soon = closed.closed_at + timedelta(hours=1)
        appeal = appeals.file_appeal(
            db.session, appellant, evaluation.id, "Kurang tepat", None, 14, now=soon
        )
        decider_id = appeal.decider_id
        decider = db.session.get(Employee, decider_id) if decider_id else None
        filed = db.session.scalars(
            select(Notification).where(Notification.kind == "keberatan_diajukan")
        ).all()
        assert len(filed) == (1 if decider is not None and decider.user_id else 0)
        judge = actor_of(decider_id, "Pejabat Penilai") if decider_id else actor_of(None, "Admin")
        appeals.decide_appeal(db.session, judge, appeal.id, False, "Sudah sesuai")
        assert db.session.get(Appeal, appeal.id).state == "ditolak"
    assert "keberatan_ditolak" in [row.kind for row in _rows(app, "pegawai")]
    assert any("Keberatan Anda ditolak" in s for s in inbox.to(_mail("pegawai")))


def test_deadline_reminders_go_out_once_a_day(app, smtp):
    inbox, _ = smtp
    cast = cast_of(app)
    with app.app_context():  # the demo's one unfinished SKP: pegawai's, still waiting
        db.session.execute(
            update(Skp)
            .where(Skp.period_id == cast.period, Skp.employee_id == cast.subordinate)
            .values(state="submitted")
        )
        db.session.commit()
        period = db.session.get(Period, cast.period)
        day = period.end_date - timedelta(days=1)
        first = notifications.deadline_reminders(db.session, today=day)
        again = notifications.deadline_reminders(db.session, today=day)
        too_early = notifications.deadline_reminders(db.session, today=day - timedelta(days=30))
    assert first > 0 and again == 0 and too_early == 0
    assert "pengingat_skp" in {row.kind for row in _rows(app, "pegawai")}
    assert any("Tenggat" in subject for subject in inbox.to(_mail("pegawai")))


def test_without_smtp_notifications_are_rows_only(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        quiet = build_app(url)
        seed_demo(quiet)
        with quiet.app_context():
            period = db.session.get(Period, cast_of(quiet).period)
            added = notifications.deadline_reminders(db.session, today=period.end_date)
            assert added > 0
            assert notifications.unsent(db.session) == []
            assert not notifications.send(
                db.session, db.session.scalars(select(Notification.id)).first()
            )
            db.session.remove()
            db.engine.dispose()
