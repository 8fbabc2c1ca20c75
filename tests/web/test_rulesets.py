"""Rule authoring: drafts, weights form, validation, conflicts, YAML bombs, publish, simulation,
re-pin and roll back, through the services, the panel and the CLI (SQLite and PostgreSQL)."""

from __future__ import annotations

import difflib
import io
import re
import tracemalloc
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditLog, Evaluation, Period, RuleSetVersion
from app.services.actor import Actor
from app.services.authoring import ruleset_versions as versions
from app.services.authoring import simulation, yaml_edit
from app.services.errors import Conflict, Forbidden, InvalidInput
from config.roles import KEPEGAWAIAN, PERUMUS
from tests.conftest import login
from tests.web.ruleset_scenario import (
    RAISED_PEER_WEIGHT,
    current_period_id,
    employee_id_of,
    in_review,
    make_peer_sensitive,
    review_period_id,
    stored_predicate,
)

SHIPPED = Path(__file__).resolve().parents[2] / "rules" / "kinerja-asn-aceh.yaml"
OFFICER = Actor(user_id=None, username="perumus", roles=frozenset({PERUMUS}))
SECOND_OFFICER = Actor(user_id=None, username="perumus2", roles=frozenset({PERUMUS}))
HR = Actor(user_id=None, username="kepegawaian", roles=frozenset({KEPEGAWAIAN}))


def shipped_text() -> str:
    return SHIPPED.read_text(encoding="utf-8")


def current_version(app) -> RuleSetVersion:
    with app.app_context():
        version = db.session.scalars(
            select(RuleSetVersion)
            .where(RuleSetVersion.status == "published")
            .order_by(RuleSetVersion.id.desc())
        ).first()
        db.session.expunge(version)
        return version


def count_versions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(RuleSetVersion))


# --- the weights form --------------------------------------------------------------------------


def test_weights_form_offers_rater_and_indicator_weights():
    keys = {w.key: w.value for w in yaml_edit.read_weights(shipped_text())}
    assert keys["raters.supervisor"] == 70 and keys["raters.peer"] == 20
    assert any(key.startswith("aspects.kinerja_lokal.") for key in keys)


def test_saved_weights_change_only_those_numbers_in_the_text():
    before = shipped_text()
    after = yaml_edit.with_weights(
        before, {"raters.peer": 35, "aspects.kinerja_lokal.DISIPLIN": 12.5}
    )
    changed = [
        (before[i1:i2], after[j1:j2])
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
            None, before, after, autojunk=False
        ).get_opcodes()
        if tag != "equal"
    ]
    assert changed and all(
        re.fullmatch(r"[\d.]*", a) and re.fullmatch(r"[\d.]*", b) for a, b in changed
    ), changed
    line_diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(line_diff) == 4  # two lines out, two lines in: the raters line and DISIPLIN's
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    assert new["raters"]["peer"] == 35
    assert new["aspects"]["kinerja_lokal"]["indicators"]["DISIPLIN"] == 12.5
    new["raters"]["peer"] = old["raters"]["peer"]
    new["aspects"]["kinerja_lokal"]["indicators"]["DISIPLIN"] = 30
    old["aspects"]["kinerja_lokal"]["indicators"]["DISIPLIN"] = 30
    assert new == old
    assert before.count("#") == after.count("#")


def test_weights_are_read_alike_by_libyaml_and_the_pure_loader_and_quoted_ones_are_text(
    monkeypatch,
):
    text = shipped_text().replace("peer: 20", 'peer: "20"')
    keys = [(w.key, w.value, w.start, w.end) for w in yaml_edit.read_weights(text)]
    assert "raters.peer" not in {key for key, *_ in keys}  # quoted: text, not a typed number
    assert yaml_edit._LOADER is yaml.CSafeLoader
    monkeypatch.setattr(yaml_edit, "_LOADER", yaml.SafeLoader)
    assert [(w.key, w.value, w.start, w.end) for w in yaml_edit.read_weights(text)] == keys


def test_a_text_that_does_not_parse_is_refused_with_its_place_in_indonesian():
    with pytest.raises(InvalidInput, match=r"YAML tidak dapat dibaca\. Baris 2, kolom \d+: "):
        yaml_edit.read_weights("raters:\n  peer: [20\n")


@pytest.mark.parametrize("raw", ["-1", "abc", "inf", ""])
def test_weights_form_refuses_what_is_not_a_weight(raw):
    with pytest.raises(InvalidInput):
        yaml_edit.parse_weight(raw, "raters.peer")


def test_weights_form_refuses_a_weight_the_text_does_not_have():
    with pytest.raises(InvalidInput, match="tidak dikenal"):
        yaml_edit.with_weights(shipped_text(), {"raters.atasan_langsung": 5})


# --- validation and limits ---------------------------------------------------------------------


def test_validation_gives_indonesian_messages_with_line_and_column(isolated_demo_app):
    text = shipped_text().replace("raters: {supervisor: 70", "raters: {supervisor: -70", 1)
    with isolated_demo_app.app_context():
        issues = versions.check(db.session, text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("raters:"))
    assert issues and issues[0].line == line and issues[0].col > 1
    assert "bobot" in issues[0].message.lower() or "angka" in issues[0].message.lower()


BOMBS = {
    "billion laughs": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    ),
    "deep nesting": "name: x\nscales: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep block nesting": "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "v\n",
    "huge file": "name: x\n# " + "x" * 2_000_000 + "\n",
}


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_yaml_bombs_are_refused_before_they_expand_with_a_clear_message(isolated_demo_app, kind):
    text = BOMBS[kind]
    before = count_versions(isolated_demo_app)
    with isolated_demo_app.app_context():
        tracemalloc.start()
        try:
            issues = versions.check(db.session, text)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        # refused before the bomb goes off: a few times the text, never its expansion
        assert issues and peak < 32 * 2**20 + 4 * len(text), (peak, issues[:1])
        assert re.search(r"terlalu|alias|dalam|besar", issues[0].message, re.I), issues[0]
        with pytest.raises(InvalidInput):
            versions.publish_text(db.session, OFFICER, text, "bom")
        db.session.rollback()
    assert count_versions(isolated_demo_app) == before


def test_size_and_depth_limits_are_settings(isolated_demo_app):
    app = isolated_demo_app
    with app.app_context():
        app.config["KINERJA_RULES_MAX_DEPTH"] = 3
        try:
            issues = versions.check(db.session, shipped_text())
        finally:
            app.config["KINERJA_RULES_MAX_DEPTH"] = 40
        assert issues and "dalam" in issues[0].message
        app.config["KINERJA_RULES_MAX_BYTES"] = 1000
        try:
            with pytest.raises(InvalidInput, match="terlalu besar"):
                versions.create_draft(db.session, OFFICER, shipped_text())
        finally:
            app.config["KINERJA_RULES_MAX_BYTES"] = 1_048_576


# --- drafts, conflicts, publish ----------------------------------------------------------------


def test_invalid_yaml_is_never_published(isolated_demo_app):
    bad = shipped_text().replace("predicate:\n", "predikat:\n", 1)
    before = count_versions(isolated_demo_app)
    with isolated_demo_app.app_context():
        draft = versions.create_draft(db.session, OFFICER, bad, note="coba")
        assert draft.status == "draft"
        with pytest.raises(versions.InvalidRuleset) as refused:
            versions.publish_version(db.session, OFFICER, draft.id)
        assert refused.value.issues and refused.value.issues[0].line > 1
        db.session.rollback()
        assert db.session.get(RuleSetVersion, draft.id).status == "draft"
        with pytest.raises(versions.InvalidRuleset):
            versions.publish_text(db.session, OFFICER, bad, "lewat CLI")
        db.session.rollback()
    assert count_versions(isolated_demo_app) == before + 1  # only the draft


def test_second_officer_saving_the_same_draft_gets_a_conflict(isolated_demo_app):
    with isolated_demo_app.app_context():
        parent = db.session.scalars(
            select(RuleSetVersion).where(RuleSetVersion.status == "published")
        ).first()
        draft = versions.create_draft(db.session, OFFICER, parent.yaml_text, parent.id)
        opened = draft.lock_version  # both officers opened the editor at this version
        first = parent.yaml_text.replace("name: kinerja-asn-aceh", "name: kinerja-asn-aceh\n# A")
        versions.save_draft(db.session, OFFICER, draft.id, first, opened)
        second = parent.yaml_text + "\n# B\n"
        with pytest.raises(Conflict, match="pengguna lain"):
            versions.save_draft(db.session, SECOND_OFFICER, draft.id, second, opened)
        db.session.rollback()
        db.session.expire_all()
        assert db.session.get(RuleSetVersion, draft.id).yaml_text == first


def test_two_saves_racing_in_the_same_instant_still_conflict(isolated_demo_app):
    from sqlalchemy.orm import Session

    with isolated_demo_app.app_context():
        parent = db.session.scalars(
            select(RuleSetVersion).where(RuleSetVersion.status == "published")
        ).first()
        draft = versions.create_draft(db.session, OFFICER, parent.yaml_text, parent.id)
        draft_id, opened, text = draft.id, draft.lock_version, parent.yaml_text
        with Session(db.engine) as first, Session(db.engine) as second:
            # both read the draft before either writes: the early check passes for both
            assert first.get(RuleSetVersion, draft_id).lock_version == opened
            assert second.get(RuleSetVersion, draft_id).lock_version == opened
            versions.save_draft(first, OFFICER, draft_id, text + "\n# A\n", opened)
            with pytest.raises(Conflict, match="pengguna lain"):
                versions.save_draft(second, SECOND_OFFICER, draft_id, text + "\n# B\n", opened)
        db.session.expire_all()
        assert db.session.get(RuleSetVersion, draft_id).yaml_text.endswith("# A\n")


def test_only_policy_officers_write_rulesets(isolated_demo_app):
    with isolated_demo_app.app_context():
        with pytest.raises(Forbidden):
            versions.create_draft(db.session, HR, shipped_text())
        with pytest.raises(Forbidden):
            simulation.simulate(
                db.session, HR, current_period_id(isolated_demo_app), text=shipped_text()
            )


def test_diff_marks_only_the_changed_line():
    left = shipped_text()
    right = yaml_edit.with_weights(left, {"raters.peer": 45})
    rows = versions.diff_rows(left, right)
    changed = [row for row in rows if row.kind not in ("equal", "skip")]
    assert len(changed) == 1 and changed[0].kind == "replace"
    assert "peer: 20" in changed[0].left and "peer: 45" in changed[0].right
    lhs, rhs = versions.changed_spans(changed[0].left, changed[0].right)
    assert "".join(text for text, hit in rhs if hit) == "45"
    assert "".join(text for text, hit in lhs if hit) == "20"


# --- simulation, publish, re-pin ---------------------------------------------------------------


def test_simulation_matches_what_publish_and_repin_store(isolated_demo_app):
    app = isolated_demo_app
    period_id = current_period_id(app)
    employee_id = employee_id_of(app, "pegawai")
    make_peer_sensitive(app, period_id, employee_id)
    assert stored_predicate(app, period_id, employee_id) == "baik"
    in_review(app, period_id)  # simulations run on periods in review or closed
    pinned = current_version(app)
    with app.app_context():
        text = yaml_edit.with_weights(pinned.yaml_text, {"raters.peer": RAISED_PEER_WEIGHT})
        draft = versions.create_draft(db.session, OFFICER, text, pinned.id, "peer naik")
        evaluations_before = db.session.scalar(select(func.count()).select_from(Evaluation))
        report = simulation.simulate(db.session, OFFICER, period_id, version_id=draft.id)
        assert db.session.scalar(select(func.count()).select_from(Evaluation)) == (
            evaluations_before
        )  # a simulation stores nothing
        mine = next(c for c in report.changes if c.employee_id == employee_id)
        assert (mine.before["predicate"], mine.after["predicate"]) == ("baik", "sangat_baik")
        assert "predikat" in mine.fields
        assert sum(report.before_counts.values()) == report.employees
        simulated = {c.employee_id: c.after for c in report.changes}
        unchanged_after = report.after_counts

        published = versions.publish_version(db.session, OFFICER, draft.id, "peer naik")
        assert published.status == "published"
        assert db.session.scalars(
            select(AuditLog).where(
                AuditLog.action == "aturan.terbit", AuditLog.object_id == published.id
            )
        ).one().after["archived"] == [pinned.id]
        assert db.session.get(RuleSetVersion, pinned.id).status == "archived"
        assert db.session.get(Period, period_id).ruleset_version_id == pinned.id
    assert stored_predicate(app, period_id, employee_id) == "baik"  # publish changed no period

    with app.app_context():
        with pytest.raises(InvalidInput, match="Alasan"):
            versions.repin_period(db.session, HR, period_id, published.id, " ")
        with pytest.raises(Forbidden):
            versions.repin_period(db.session, OFFICER, period_id, published.id, "uji")
        result = versions.repin_period(
            db.session, HR, period_id, published.id, "Bobot rekan kerja dinaikkan"
        )
        assert result["evaluated"] >= 1 and result["predicate_changed"] >= 1
        audit = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "periode.ganti_aturan")
        ).one()
        assert audit.reason == "Bobot rekan kerja dinaikkan"
        assert audit.after["ruleset_version_id"] == published.id
        stored = {
            row.employee_id: simulation.outcome(row.result)
            for row in db.session.scalars(
                select(Evaluation).where(Evaluation.period_id == period_id)
            )
        }
        assert all(row == simulated[e] for e, row in stored.items() if e in simulated)
        again = simulation.simulate(db.session, OFFICER, period_id, version_id=published.id)
        assert not again.changes  # pinned and simulated are now the same version
        assert again.after_counts == unchanged_after
        for change_free in db.session.scalars(
            select(Evaluation).where(Evaluation.period_id == period_id)
        ):
            assert change_free.ruleset_version_id == published.id
    assert stored_predicate(app, period_id, employee_id) == "sangat_baik"


def test_many_chunks_give_the_one_chunk_answer(isolated_demo_app):
    """A simulation split into many chunks (as workers run it) adds up to the one-chunk
    answer, in the same order."""
    app = isolated_demo_app
    period_id = review_period_id(app)
    with app.app_context():
        text = yaml_edit.with_weights(current_version(app).yaml_text, {"raters.peer": 300})
        alone = simulation.simulate(db.session, OFFICER, period_id, text=text)
        together = simulation.simulate(db.session, OFFICER, period_id, text=text, chunk_size=7)
    solo, split = alone.summary(), together.summary()
    solo.pop("seconds"), split.pop("seconds")
    assert split == solo and solo["employees"] > 100


def test_closed_periods_cannot_be_repinned(isolated_demo_app):
    with isolated_demo_app.app_context():
        closed = db.session.scalars(select(Period).where(Period.state == "closed")).first()
        version = db.session.scalars(
            select(RuleSetVersion).where(RuleSetVersion.status == "published")
        ).first()
        with pytest.raises(Conflict, match="ditutup"):
            versions.repin_period(db.session, HR, closed.id, version.id, "coba")


def test_roll_back_publishes_the_earlier_text_as_a_new_version(isolated_demo_app):
    with isolated_demo_app.app_context():
        first = db.session.scalars(select(RuleSetVersion).order_by(RuleSetVersion.id)).first()
        latest_number = db.session.scalar(select(func.max(RuleSetVersion.number)))
        back = versions.roll_back(db.session, OFFICER, first.id, "kembali ke bawaan")
        assert back.status == "published" and back.number == latest_number + 1
        assert back.yaml_text == first.yaml_text and back.parent_id == first.id
        assert db.session.get(RuleSetVersion, first.id).number == 1  # history untouched
        with pytest.raises(InvalidInput, match="sama"):
            versions.roll_back(db.session, OFFICER, first.id)
        db.session.rollback()


# --- the panel ---------------------------------------------------------------------------------


def test_editor_validation_endpoint_answers_with_located_issues(isolated_demo_app):
    client = isolated_demo_app.test_client()
    login(client, "perumus")
    good = client.post("/aturan/validasi", json={"yaml_text": shipped_text()})
    assert good.status_code == 200 and good.json == {"valid": True, "issues": []}
    bad = client.post("/aturan/validasi", json={"yaml_text": "name: x\nscales: [\n"})
    assert bad.status_code == 200 and not bad.json["valid"]
    assert {"line", "col", "message"} <= set(bad.json["issues"][0])


def test_panel_keeps_the_text_and_says_so_when_a_save_conflicts(isolated_demo_app):
    client = isolated_demo_app.test_client()
    login(client, "perumus")
    with isolated_demo_app.app_context():
        parent = db.session.scalars(
            select(RuleSetVersion).where(RuleSetVersion.status == "published")
        ).first()
        draft = versions.create_draft(db.session, OFFICER, parent.yaml_text, parent.id)
        draft_id, opened, text = draft.id, draft.lock_version, parent.yaml_text
    url = f"/aturan/{draft_id}/ubah"
    first = client.post(url, data={"yaml_text": text + "\n# satu\n", "lock_version": opened})
    assert first.status_code == 302
    second = client.post(url, data={"yaml_text": text + "\n# dua\n", "lock_version": opened})
    html = second.get_data(as_text=True)
    assert second.status_code == 200 and "pengguna lain" in html and "# dua" in html


def test_panel_refuses_to_publish_an_invalid_draft(isolated_demo_app):
    client = isolated_demo_app.test_client()
    login(client, "perumus")
    bad = shipped_text().replace("predicate:\n", "predikat:\n", 1)
    with isolated_demo_app.app_context():
        draft = versions.create_draft(db.session, OFFICER, bad, note="salah")
        draft_id = draft.id
    page = client.get(f"/aturan/{draft_id}").get_data(as_text=True)
    assert "belum valid" in page
    confirm = client.get(f"/aturan/{draft_id}/terbitkan").get_data(as_text=True)
    assert 'id="terbitkan-sekarang" disabled' in confirm
    response = client.post(f"/aturan/{draft_id}/terbitkan", data={"note": "paksa"})
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Aturan tidak valid, baris" in shown
    with isolated_demo_app.app_context():
        assert db.session.get(RuleSetVersion, draft_id).status == "draft"


def test_policy_officer_pages_and_excel_download(isolated_demo_app):
    client = isolated_demo_app.test_client()
    login(client, "perumus")
    version = current_version(isolated_demo_app)
    period_id = review_period_id(isolated_demo_app)
    for url in (
        "/aturan/",
        f"/aturan/{version.id}",
        f"/aturan/{version.id}/bobot",
        f"/aturan/banding?a=1&b={version.id}",
        f"/aturan/{version.id}/simulasi?period_id={period_id}",
    ):
        assert client.get(url).status_code == 200, url
    form = {f"w:{w.key}": w.shown for w in yaml_edit.read_weights(version.yaml_text)}
    form["w:raters.peer"] = "33"
    saved = client.post(f"/aturan/{version.id}/bobot", data=form)
    assert saved.status_code == 302 and "/simulasi" in saved.headers["Location"]
    new_id = int(re.search(r"/aturan/(\d+)/simulasi", saved.headers["Location"]).group(1))
    before_run = client.get(f"/aturan/{new_id}/simulasi.xlsx?period_id={period_id}")
    assert before_run.status_code == 400  # nothing stored yet: the download never computes
    assert client.get(saved.headers["Location"]).status_code == 200  # runs and stores it
    excel = client.get(f"/aturan/{new_id}/simulasi.xlsx?period_id={period_id}")
    assert excel.status_code == 200
    with isolated_demo_app.app_context():  # the stored file names persons: not for a Perumus
        assert excel.data != simulation.latest_finished(db.session, period_id, new_id).file_data
    book = load_workbook(io.BytesIO(excel.data))
    # a Perumus gets aggregates only (persons are for Kepegawaian: test_confidentiality)
    assert book.sheetnames == ["Ringkasan", "Perubahan predikat", "Penghargaan dan TPP", "Per SKPA"]
    assert "NIP" not in [cell.value for cell in book["Perubahan predikat"][1]]
    export = client.get(f"/aturan/{new_id}/ekspor")
    assert "peer: 33" in export.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "reads", "writes", "repins"),
    [
        ("kepegawaian", True, False, True),
        ("perumus", True, True, False),
        ("admin", True, True, True),
        ("pegawai", False, False, False),
    ],
)
def test_ruleset_pages_follow_the_roles(isolated_demo_app, role, reads, writes, repins):
    client = isolated_demo_app.test_client()
    login(client, role)

    def allowed(url: str) -> bool:
        status = client.get(url).status_code
        assert status in (200, 302, 403), (url, status)
        return status == 200

    assert allowed("/aturan/") is reads
    assert allowed("/aturan/1") is reads
    assert allowed("/aturan/1/bobot") is writes
    assert allowed("/aturan/1/simulasi") is writes
    assert allowed("/aturan-periode/") is repins


# --- the command line --------------------------------------------------------------------------


def test_cli_publishes_valid_files_only_and_exports_versions(isolated_demo_app, tmp_path):
    runner = isolated_demo_app.test_cli_runner()
    bad = tmp_path / "salah.yaml"
    bad.write_text(shipped_text().replace("raters: {supervisor: 70", "raters: {supervisor: x", 1))
    before = count_versions(isolated_demo_app)
    refused = runner.invoke(args=["kinerja", "rules", "publish", str(bad), "--note", "uji"])
    assert refused.exit_code == 1
    assert re.search(rf"{re.escape(str(bad))}:\d+:\d+: ", refused.output), refused.output
    assert count_versions(isolated_demo_app) == before

    good = tmp_path / "baru.yaml"
    good.write_text(yaml_edit.with_weights(shipped_text(), {"raters.peer": 27}))
    done = runner.invoke(args=["kinerja", "rules", "publish", str(good), "--note", "peer 27"])
    assert done.exit_code == 0, done.output
    number = int(re.search(r"versi (\d+)", done.output).group(1))
    exported = runner.invoke(args=["kinerja", "rules", "export", f"kinerja-asn-aceh:{number}"])
    assert exported.exit_code == 0 and exported.output == good.read_text()
    missing = runner.invoke(args=["kinerja", "rules", "export", "999"])
    assert missing.exit_code != 0 and "tidak ditemukan" in missing.output


def test_repin_in_chunks_stores_the_one_process_results(isolated_demo_app):
    """A province is re-pinned chunk by chunk (as workers run it); what the chunks store
    equals the results of the new version computed here, in one go."""
    from app.services.appraisal.evaluations import results_for

    app = isolated_demo_app
    period_id = current_period_id(app)
    with app.app_context():
        text = yaml_edit.with_weights(current_version(app).yaml_text, {"raters.peer": 55})
        target = versions.publish_text(db.session, OFFICER, text, note="uji potongan")
        versions.repin_period(db.session, HR, period_id, target.id, "uji potongan", chunk_size=9)
        db.session.expire_all()
        stored = {
            row.employee_id: row.result
            for row in db.session.scalars(
                select(Evaluation).where(Evaluation.period_id == period_id)
            )
        }
        period = db.session.get(Period, period_id)
        ids = sorted(stored)
        assert len(ids) > 100
        assert [stored[i] for i in ids] == results_for(db.session, period, ids, target)
