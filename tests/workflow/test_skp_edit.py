"""RHK of a draft or returned SKP are edited and deleted by their owner only; an approved SKP
is read-only; after a return the supervisor sees what changed."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.services.appraisal import skp
from app.services.errors import Conflict, Forbidden, NotFound
from config.roles import PEGAWAI
from tests.workflow.helpers import actor_of, cast_of, supervisor_actor


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _draft(text: str, target: str = "100%", kind: str = "utama") -> skp.RhkDraft:
    return skp.RhkDraft(text=text, iki="Persentase penyelesaian", target=target, kind=kind)


def test_owner_edits_and_deletes_rhk_until_approval_and_supervisor_sees_the_changes(app):
    cast = cast_of(app)
    with app.app_context():
        me = actor_of(cast.subordinate, PEGAWAI)
        boss = supervisor_actor(cast)
        plan = skp.own_skp(db.session, me, cast.period)
        first = skp.add_rhk(db.session, me, plan.id, _draft("Laporan bulanan"))
        second = skp.add_rhk(db.session, me, plan.id, _draft("Data pegawai", "90%"))
        third = skp.add_rhk(db.session, me, plan.id, _draft("Arsip", kind="tambahan"))
        skp.delete_rhk(db.session, me, plan.id, first.id)
        assert [(r.code, r.text) for r in plan.rhk] == [
            ("RHK-1", "Data pegawai"),
            ("RHK-2", "Arsip"),
        ]
        assert skp.changes_since_return(db.session, plan) is None

        skp.submit(db.session, me, plan.id)
        with pytest.raises(Conflict, match="tidak dapat diubah"):
            skp.update_rhk(db.session, me, plan.id, second.id, _draft("Data pegawai", "95%"))
        skp.review(db.session, boss, plan.id, False, "Target data pegawai terlalu rendah")

        skp.update_rhk(db.session, me, plan.id, second.id, _draft("Data pegawai", "100%"))
        skp.delete_rhk(db.session, me, plan.id, third.id)
        skp.add_rhk(db.session, me, plan.id, _draft("Layanan konsultasi"))
        skp.submit(db.session, me, plan.id)

        diff = skp.changes_since_return(db.session, skp.get_skp(db.session, boss, plan.id))
        assert diff is not None and diff.comment == "Target data pegawai terlalu rendah"
        changes = {(c.change, c.text): c.fields for c in diff.changes}
        assert changes[("diubah", "Data pegawai")] == [("Target", "90%", "100%")]
        assert ("dihapus", "Arsip") in changes
        assert ("ditambah", "Layanan konsultasi") in changes
        assert len(changes) == 3

        skp.review(db.session, boss, plan.id, True)
        for attempt in (
            lambda: skp.update_rhk(db.session, me, plan.id, second.id, _draft("Lain")),
            lambda: skp.delete_rhk(db.session, me, plan.id, second.id),
            lambda: skp.add_rhk(db.session, me, plan.id, _draft("Tambahan baru")),
        ):
            with pytest.raises(Conflict, match="Disetujui"):
                attempt()
        assert [r.text for r in plan.rhk] == ["Data pegawai", "Layanan konsultasi"]


def test_only_the_owner_changes_rhk(app):
    cast = cast_of(app)
    with app.app_context():
        colleague_skp = skp.own_skp(db.session, supervisor_actor(cast), cast.period)
        mine = actor_of(cast.subordinate, PEGAWAI)
        with pytest.raises(NotFound):
            skp.delete_rhk(db.session, mine, colleague_skp.id, 1)
        plan = skp.own_skp(db.session, mine, cast.period)
        some_rhk = plan.rhk[0].id
        with pytest.raises(Forbidden):
            skp.update_rhk(db.session, supervisor_actor(cast), plan.id, some_rhk, _draft("x"))
        with pytest.raises(Conflict):  # approved in the test above: nothing changes any more
            skp.delete_rhk(db.session, mine, plan.id, some_rhk)
