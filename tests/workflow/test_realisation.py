"""A second realisation for the same RHK and month never overwrites the first: it is refused
with what is there, and the employee edits that entry on purpose."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditLog, Realisation
from app.services.appraisal import realisation
from app.services.errors import Conflict, Forbidden
from config.roles import PEGAWAI
from tests.web.people import approved_rhk
from tests.workflow.helpers import actor_of, cast_of, supervisor_actor


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def test_second_entry_for_the_same_month_is_refused_and_the_first_kept(app):
    cast = cast_of(app)
    rhk = approved_rhk(app, cast.subordinate, cast.period)[0]
    with app.app_context():
        me = actor_of(cast.subordinate, PEGAWAI)
        first = realisation.record_realisation(
            db.session, me, rhk, 2026, 10, "Laporan Oktober", "100%"
        )
        with pytest.raises(Conflict, match="Oktober 2026 sudah diisi") as refused:
            realisation.record_realisation(db.session, me, rhk, 2026, 10, "Isi lain", "50%")
        assert "Laporan Oktober" in refused.value.message
        db.session.rollback()
        rows = db.session.execute(
            select(Realisation.text, Realisation.value).where(Realisation.rhk_id == rhk)
        ).all()
        assert rows == [("Laporan Oktober", "100%")]
        other_month = realisation.record_realisation(db.session, me, rhk, 2026, 11, "November")
        assert other_month.id != first.id


def test_an_entry_is_changed_explicitly_and_audited(app):
    cast = cast_of(app)
    rhk = approved_rhk(app, cast.subordinate, cast.period)[0]
    with app.app_context():
        me = actor_of(cast.subordinate, PEGAWAI)
        entry = db.session.scalar(
            select(Realisation).where(Realisation.rhk_id == rhk, Realisation.month == 10)
        )
        shown = entry.lock_version
        realisation.edit_realisation(
            db.session, me, entry.id, "Laporan Oktober (revisi)", "100%", lock_version=shown
        )
        with pytest.raises(Conflict, match="telah diubah"):
            realisation.edit_realisation(db.session, me, entry.id, "Lagi", None, lock_version=shown)
        db.session.rollback()
        with pytest.raises(Forbidden):
            realisation.edit_realisation(db.session, supervisor_actor(cast), entry.id, "Atasan")
        db.session.rollback()
        assert db.session.get(Realisation, entry.id).text == "Laporan Oktober (revisi)"
        change = db.session.scalar(
            select(AuditLog).where(
                AuditLog.action == "realisasi.ubah", AuditLog.object_id == entry.id
            )
        )
        assert change.before["text"] == "Laporan Oktober"
        assert change.after["text"] == "Laporan Oktober (revisi)"
