"""The section forms over real HTTP (SQLite and PostgreSQL): an officer changes a level threshold,
adds an award rule with the condition builder and changes an allowance band without typing YAML;
the draft shows the change summary; a second officer approves; the first publishes; Kepegawaian
finds the re-pin in the to-do list and re-pins."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from app.cli.demo import DEMO_PASSWORD
from app.extensions import db
from app.models import Period, RuleSetVersion
from app.services.people import accounts
from config.roles import PERUMUS
from tests.conftest import login


@pytest.fixture()
def four_eyes(isolated_demo_app):
    isolated_demo_app.config["KINERJA_FOUR_EYES"] = True
    yield isolated_demo_app
    isolated_demo_app.config["KINERJA_FOUR_EYES"] = False


def add_second_officer(app) -> None:
    with app.app_context():
        roles = accounts.ensure_roles(db.session)
        accounts.ensure_user(
            db.session,
            username="perumus2",
            password=DEMO_PASSWORD,
            first_name="Perumus",
            last_name="kedua",
            email="perumus2@demo.kinerja.local",
            roles=[roles[PERUMUS]],
        )
        db.session.commit()


def published(app) -> RuleSetVersion:
    with app.app_context():
        version = db.session.scalars(
            select(RuleSetVersion).where(RuleSetVersion.status == "published")
        ).one()
        db.session.expunge(version)
        return version


def post(client, url: str, data: dict[str, str]) -> tuple[int, str]:
    response = client.post(url, data=data)
    if response.status_code == 302:
        location = response.headers["Location"]
        return 302, location
    return response.status_code, response.get_data(as_text=True)


def draft_of(location: str) -> int:
    return int(re.search(r"/aturan/(\d+)/bagian/", location).group(1))


def test_officers_change_rules_by_form_approve_and_publish_then_hr_repins(four_eyes):
    app = four_eyes
    add_second_officer(app)
    start = published(app)
    officer = app.test_client()
    login(officer, "perumus")

    page = officer.get(f"/aturan/{start.id}/bagian/tingkat").get_data(as_text=True)
    assert "skor kinerja lokal (Aceh) paling sedikit" in page and "levels.kinerja_lokal" in page
    status, location = post(
        officer,
        f"/aturan/{start.id}/bagian/tingkat",
        {
            "action": "simpan",
            "v:levels.kinerja_lokal.0.when.score.gte": "4,4",
        },
    )
    assert status == 302
    draft_id = draft_of(location)
    assert draft_id != start.id

    lock = lambda: str(db.session.get(RuleSetVersion, draft_id).lock_version)  # noqa: E731
    with app.app_context():
        version = lock()
    condition = {
        "all": [
            {"fact": "predicate", "op": "gte", "value": "baik"},
            {"fact": "indicator.KEPUASAN_PUBLIK", "op": "gte", "value": "4,8"},
        ]
    }
    form_page = officer.get(f"/aturan/{draft_id}/bagian/penghargaan").get_data(as_text=True)
    assert "data-facts=" in form_page and "condition-builder.js" in form_page
    assert "<script>" not in form_page
    status, text = post(
        officer,
        f"/aturan/{draft_id}/bagian/penghargaan",
        {
            "action": "tambah",
            "lock_version": version,
            "name": "teladan-layanan",
            "outcome": "Pelayan Publik Teladan Utama",
            "condition_json": json.dumps(
                {"fact": "indicator.KEPUASAN_PUBLIK", "op": "gte", "value": "7"}
            ),
        },
    )
    assert status == 200 and "harus antara 1 dan 5" in text
    status, location = post(
        officer,
        f"/aturan/{draft_id}/bagian/penghargaan",
        {
            "action": "tambah",
            "lock_version": version,
            "name": "teladan-layanan",
            "outcome": "Pelayan Publik Teladan Utama",
            "condition_json": json.dumps(condition),
        },
    )
    assert status == 302 and draft_of(location) == draft_id

    with app.app_context():
        version = lock()
    status, location = post(
        officer,
        f"/aturan/{draft_id}/bagian/tpp",
        {
            "action": "simpan",
            "lock_version": version,
            "v:consequences.allowance.disiplin_percent.1.percent": "85",
        },
    )
    assert status == 302

    with app.app_context():
        text = db.session.get(RuleSetVersion, draft_id).yaml_text
    assert "when: {score: {gte: 4.4}}" in text
    assert (
        "  - name: teladan-layanan\n"
        "    when: {predicate: {gte: baik}, indicator.KEPUASAN_PUBLIK: {gte: 4.8}}\n"
        "    award: Pelayan Publik Teladan Utama\n"
    ) in text
    assert "{name: tpp-disiplin-baik, when: {indicator.DISIPLIN: {gte: 3.5}}, percent: 85}" in text
    assert len(text.splitlines()) == len(start.yaml_text.splitlines()) + 3

    show = officer.get(f"/aturan/{draft_id}").get_data(as_text=True)
    assert "Ringkasan perubahan" in show
    assert "Aturan penghargaan &#39;Pelayan Publik Teladan Utama&#39; ditambahkan" in show
    assert "tpp-disiplin-baik&#39;: 90 % → 85 %" in show
    diff = officer.get(f"/aturan/banding?a={start.id}&b={draft_id}").get_data(as_text=True)
    assert 'id="ringkasan-perubahan"' in diff and "paling sedikit 4,4" in diff

    confirm = officer.get(f"/aturan/{draft_id}/terbitkan").get_data(as_text=True)
    assert 'id="belum-disetujui"' in confirm and 'id="terbitkan-sekarang" disabled' in confirm
    assert 'id="setujui"' not in confirm  # the author cannot approve
    officer.post(f"/aturan/{draft_id}/terbitkan", data={"note": "langsung"})
    officer.post(f"/aturan/{draft_id}/setujui", data={})
    with app.app_context():
        row = db.session.get(RuleSetVersion, draft_id)
        assert (row.status, row.approved_by_id) == ("draft", None)

    second = app.test_client()
    login(second, "perumus2")
    home = second.get("/").get_data(as_text=True)
    assert "menunggu persetujuan Anda" in home
    assert 'id="setujui"' in second.get(f"/aturan/{draft_id}/terbitkan").get_data(as_text=True)
    second.post(f"/aturan/{draft_id}/setujui", data={})

    confirm = officer.get(f"/aturan/{draft_id}/terbitkan").get_data(as_text=True)
    assert 'id="sudah-disetujui"' in confirm and 'id="terbitkan-sekarang" disabled' not in confirm
    officer.post(f"/aturan/{draft_id}/terbitkan", data={"note": "ambang dan penghargaan"})
    with app.app_context():
        assert db.session.get(RuleSetVersion, draft_id).status == "published"
        period_id = db.session.scalars(select(Period.id).where(Period.state == "open")).one()

    hr = app.test_client()
    login(hr, "kepegawaian")
    home = hr.get("/").get_data(as_text=True)
    assert "Aturan penilaian baru telah terbit" in home
    link = f"/aturan-periode/?period_id={period_id}&amp;version_id={draft_id}"
    assert link in home
    hr.post(
        "/aturan-periode/",
        data={
            "period_id": str(period_id),
            "version_id": str(draft_id),
            "reason": "aturan baru",
        },
    )
    with app.app_context():
        assert db.session.get(Period, period_id).ruleset_version_id == draft_id
    assert "Aturan penilaian baru telah terbit" not in hr.get("/").get_data(as_text=True)


def test_saving_an_approved_draft_withdraws_the_approval(four_eyes):
    app = four_eyes
    add_second_officer(app)
    start = published(app)
    officer, second = app.test_client(), app.test_client()
    login(officer, "perumus")
    login(second, "perumus2")
    _, location = post(
        officer,
        f"/aturan/{start.id}/bagian/matriks",
        {
            "action": "simpan",
            "v:predicate.sesuai_ekspektasi.sesuai_ekspektasi": "sangat_baik",
        },
    )
    draft_id = draft_of(location)
    second.post(f"/aturan/{draft_id}/setujui", data={})
    with app.app_context():
        row = db.session.get(RuleSetVersion, draft_id)
        assert row.approved_by_id is not None
        version = str(row.lock_version)
    post(
        officer,
        f"/aturan/{draft_id}/bagian/angka-kredit",
        {
            "action": "simpan",
            "lock_version": version,
            "v:consequences.angka_kredit.koefisien.mahir": "13",
        },
    )
    with app.app_context():
        assert db.session.get(RuleSetVersion, draft_id).approved_by_id is None
    page = officer.get(f"/aturan/{draft_id}/bagian/matriks").get_data(as_text=True)
    assert 'id="matriks-predikat"' in page and "Baik → Sangat Baik" in page
    assert "Koefisien angka kredit tahunan jenjang Mahir: 12,5 → 13" in page


def test_the_condition_preview_answers_in_words(isolated_demo_app):
    client = isolated_demo_app.test_client()
    login(client, "perumus")
    version = published(isolated_demo_app)
    ok = client.post(
        f"/aturan/{version.id}/kondisi",
        json={
            "any": [
                {"fact": "indicator.DISIPLIN", "op": "lt", "value": "2,5"},
                {"fact": "history.sangat_baik_streak", "op": "gte", "value": "2"},
            ]
        },
    )
    assert ok.status_code == 200
    assert ok.get_json()["yaml"] == (
        "{any: [{indicator.DISIPLIN: {lt: 2.5}}, {history.sangat_baik_streak: {gte: 2}}]}"
    )
    assert ok.get_json()["sentence"].startswith("nilai Disiplin kurang dari 2,5 atau ")
    bad = client.post(
        f"/aturan/{version.id}/kondisi",
        json={"fact": "hasil_kerja.share.di_atas_ekspektasi", "op": "gt", "value": "50"},
    )
    assert bad.status_code == 400 and "0,5 untuk separuh" in bad.get_json()["message"]


def test_an_existing_condition_is_edited_and_a_level_rule_added_over_http(isolated_demo_app):
    """The builder opens on a rule's current condition; saving a changed one rewrites only that
    rule's `when`; a level rule is added before the catch-all; nothing else in the text moves."""
    app = isolated_demo_app
    client = app.test_client()
    login(client, "perumus")
    version = published(app)
    base = f"/aturan/{version.id}/bagian/penghargaan"
    listing = client.get(base).get_data(as_text=True)
    assert f'href="{base}?syarat=awards:1#judul-pembangun"' in listing
    page = client.get(f"{base}?syarat=awards:1").get_data(as_text=True)
    assert "Ubah syarat aturan" in page and "pelayan-publik-teladan" in page
    initial = json.loads(re.search(r"data-initial='([^']*)'", page).group(1))
    assert initial == {
        "all": [
            {"fact": "predicate", "op": "gte", "value": "baik"},
            {"fact": "indicator.KEPUASAN_PUBLIK", "op": "gte", "value": 4.5},
        ]
    }
    initial["all"][1]["value"] = "4,7"
    form = {
        "action": "ubah-syarat",
        "list_path": "awards",
        "index": "1",
        "lock_version": str(version.lock_version),
        "condition_json": json.dumps(initial),
    }
    status, location = post(client, f"{base}?syarat=awards:1", form)
    assert status == 302
    draft_id = draft_of(location)
    with app.app_context():
        text = db.session.get(RuleSetVersion, draft_id).yaml_text
    old_line = "    when: {predicate: {gte: baik}, indicator.KEPUASAN_PUBLIK: {gte: 4.5}}\n"
    assert old_line in version.yaml_text
    assert text == version.yaml_text.replace(old_line, old_line.replace("4.5", "4.7"))
    shown = client.get(location).get_data(as_text=True)
    assert "pelayan-publik-teladan" in shown and "4,7" in shown

    unchanged = post(client, f"/aturan/{draft_id}/bagian/penghargaan", form)
    assert unchanged[0] == 200 and "Syarat tidak berubah" in unchanged[1]

    levels = f"/aturan/{draft_id}/bagian/tingkat"
    page = client.get(f"{levels}?tambah=levels.kinerja_lokal").get_data(as_text=True)
    assert "Tambah aturan tingkat" in page and 'name="position"' in page
    with app.app_context():
        lock = db.session.get(RuleSetVersion, draft_id).lock_version
    tree = {"all": [{"fact": "kinerja_lokal.score", "op": "gte", "value": "2,2"}]}
    status, _ = post(
        client,
        f"{levels}?tambah=levels.kinerja_lokal",
        {
            "action": "tambah-tingkat",
            "list_path": "levels.kinerja_lokal",
            "level": "cukup",
            "position": "3",
            "lock_version": str(lock),
            "condition_json": json.dumps(tree),
        },
    )
    assert status == 302
    with app.app_context():
        added = db.session.get(RuleSetVersion, draft_id).yaml_text
    assert added == text.replace(
        "    - level: perlu_pembinaan\n",
        "    - level: cukup\n      when: {score: {gte: 2.2}}\n    - level: perlu_pembinaan\n",
    )
    duplicate = post(
        client,
        f"{levels}?tambah=levels.kinerja_lokal",
        {
            "action": "tambah-tingkat",
            "list_path": "levels.kinerja_lokal",
            "level": "baik",
            "position": "0",
            "lock_version": str(lock + 1),
            "condition_json": json.dumps(
                {"all": [{"fact": "kinerja_lokal.score", "op": "gte", "value": "2,2"}]}
            ),
        },
    )  # the same condition twice: the one below would never be reached
    assert duplicate[0] == 200 and "tidak pernah tercapai" in duplicate[1]

    tpp = f"/aturan/{draft_id}/bagian/tpp"
    adding = "consequences.allowance.disiplin_percent"
    page = client.get(f"{tpp}?tambah={adding}").get_data(as_text=True)
    assert "Tambah pita TPP komponen Disiplin" in page and 'id="persen-pita"' in page
    edit_links = client.get(tpp).get_data(as_text=True).count("btn-default ubah-syarat")
    assert edit_links >= 4  # every band with a condition
    status, _ = post(
        client,
        f"{tpp}?tambah={adding}",
        {
            "action": "tambah-pita",
            "list_path": adding,
            "name": "tpp-disiplin-minim",
            "percent": "25",
            "position": "4",
            "lock_version": str(lock + 1),
            "condition_json": json.dumps(
                {"all": [{"fact": "indicator.DISIPLIN", "op": "gte", "value": "1,5"}]}
            ),
        },
    )
    assert status == 302
    with app.app_context():
        banded = db.session.get(RuleSetVersion, draft_id).yaml_text
    assert banded == added.replace(
        "      - {name: tpp-disiplin-belum-dinilai",
        "      - {name: tpp-disiplin-minim, when: {indicator.DISIPLIN: {gte: 1.5}}, percent: 25}\n"
        "      - {name: tpp-disiplin-belum-dinilai",
    )
