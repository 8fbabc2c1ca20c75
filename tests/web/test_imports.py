"""Importing employees from CSV or Excel over HTTP: every row checked with the same rules as
the forms, errors listed by row, all rows stored or none."""

from __future__ import annotations

import io
import random

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.cli.demo import _NipFactory
from app.extensions import db
from app.models import AuditLog, Employee, Position, Unit
from tests.conftest import login

HEADER = ["nip", "nama", "status", "golongan", "jabatan", "unit", "nip_atasan"]


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def context(app):
    """Valid NIPs nobody has, a jabatan, a unit code and an existing supervisor's NIP."""
    with app.app_context():
        taken = set(db.session.scalars(select(Employee.nip)))
        position = db.session.scalars(select(Position.name).order_by(Position.id)).first()
        unit = db.session.scalars(select(Unit.code).order_by(Unit.id)).first()
        boss = db.session.scalars(
            select(Employee.nip).where(Employee.user.has(username="penilai"))
        ).one()
    factory = _NipFactory(random.Random(77))

    def nips(count: int) -> list[str]:
        out = []
        while len(out) < count:
            nip = factory.make(random.choice("LP"), False, "PNS")
            if nip not in taken:
                out.append(nip)
                taken.add(nip)
        return out

    return {"nips": nips, "position": position, "unit": unit, "boss": boss}


def _hr(app):
    client = app.test_client()
    login(client, "kepegawaian")
    return client


def _post(client, name, content):
    return client.post(
        "/impor-pegawai/",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _csv(rows, delimiter=","):
    lines = [delimiter.join(HEADER)] + [delimiter.join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _employees(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Employee))


def test_valid_csv_is_stored_with_supervisors_from_file_and_database(app, context):
    head, staff, other = context["nips"](3)
    p, u = context["position"], context["unit"]
    rows = [
        [staff, "Cut Nyak Impor", "PNS", "III/a", p, u, head],  # supervisor later in the file
        [head, "Teuku Impor", "PNS", "III/d", p, u, context["boss"]],  # supervisor in database
        [other, "Rahmi Impor", "pns", "II/c", p, u, ""],
    ]
    response = _post(_hr(app), "pegawai.csv", _csv(rows, ";"))
    assert response.status_code == 200 and "3 pegawai diimpor" in response.text
    with app.app_context():
        imported = {
            e.nip: e
            for e in db.session.scalars(
                select(Employee).where(Employee.nip.in_([head, staff, other]))
            )
        }
        assert imported[staff].supervisor_id == imported[head].id
        assert imported[head].supervisor.nip == context["boss"]
        assert imported[other].status == "PNS" and imported[other].supervisor_id is None
        assert (
            db.session.scalar(
                select(func.count()).select_from(AuditLog).where(AuditLog.action == "pegawai.impor")
            )
            >= 1
        )


def test_one_bad_row_among_a_thousand_stores_nothing_and_is_named(app, context):
    nips = context["nips"](1000)
    rows = [
        [nip, f"Pegawai Massal {n}", "PNS", "III/b", context["position"], context["unit"], ""]
        for n, nip in enumerate(nips)
    ]
    rows[733][3] = "V/z"  # spreadsheet row 735 (row 1 is the header)
    before = _employees(app)
    response = _post(_hr(app), "massal.xlsx", _xlsx(rows))
    assert response.status_code == 400
    assert "Tidak ada yang disimpan" in response.text
    assert "<td>735</td>" in response.text and "Golongan &#39;V/z&#39;" in response.text
    assert response.text.count("<tr><td>") == 1
    assert _employees(app) == before


def test_every_kind_of_row_error_is_listed_by_row(app, context):
    a, b, c, d, e = context["nips"](5)
    p, u = context["position"], context["unit"]
    rows = [
        [a, "Baris Dua", "PNS", "III/a", p, u, ""],
        [a, "NIP Kembar", "PNS", "III/a", p, u, ""],  # 3: duplicate in file
        ["12345", "NIP Pendek", "PNS", "III/a", p, u, ""],  # 4: impossible NIP
        [b, "Unit Salah", "PNS", "III/a", p, "TIDAK-ADA", ""],  # 5
        [c, "Jabatan Salah", "PNS", "III/a", "Jabatan Khayalan", u, ""],  # 6
        [d, "Atasan Hilang", "PNS", "III/a", p, u, "199001012015011999"],  # 7
        [e, "", "PNS", "III/a", p, u, ""],  # 8: no name
        [context["boss"], "Sudah Ada", "PNS", "III/a", p, u, ""],  # 9: NIP in database
    ]
    before = _employees(app)
    html = _post(_hr(app), "salah.csv", _csv(rows)).text
    for row, words in (
        (3, "sudah ada di baris 2"),
        (4, "NIP"),
        (5, "TIDAK-ADA"),
        (6, "Jabatan Khayalan"),
        (7, "tidak ditemukan"),
        (8, "Kolom nama wajib diisi"),
        (9, "sudah terdaftar"),
    ):
        assert f"<td>{row}</td>" in html, row
        assert words in html, words
    assert "<td>2</td>" not in html
    assert _employees(app) == before


def test_supervisor_loop_inside_the_file_is_refused(app, context):
    a, b = context["nips"](2)
    p, u = context["position"], context["unit"]
    rows = [[a, "Satu", "PNS", "III/a", p, u, b], [b, "Dua", "PNS", "III/a", p, u, a]]
    before = _employees(app)
    html = _post(_hr(app), "lingkaran.csv", _csv(rows)).text
    assert "membentuk lingkaran" in html and _employees(app) == before
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Employee).where(Employee.nip.in_([a, b]))
            )
            == 0
        )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("pegawai.txt", b"nip,nama\n", "Unggah berkas .xlsx atau .csv"),
        (
            "pegawai.csv",
            b"nip,nama\n1,2\n",
            "Kolom wajib tidak ada: status, golongan, jabatan, unit",
        ),
        ("pegawai.csv", "nip,nama".encode("utf-16"), "UTF-8"),
        ("pegawai.xlsx", b"bukan excel", "Berkas Excel tidak dapat dibaca"),
        ("pegawai.csv", b"", "Berkas kosong"),
    ],
)
def test_unreadable_files_get_a_message(app, name, content, message):
    response = _post(_hr(app), name, content)
    assert response.status_code == 400 and message in response.text


def test_only_kepegawaian_may_import(app, context):
    client = app.test_client()
    login(client, "penilai")
    assert client.get("/impor-pegawai/").status_code in (302, 403)
    assert _post(client, "x.csv", _csv([])).status_code in (302, 403)


def dimension_bomb() -> bytes:
    """A valid workbook of a header row whose sheet declares 1,048,576 × 16,384 cells and has
    one cell in the last of them: about 1.5 KB that expand to billions of cells when trusted."""
    import re
    import zipfile

    book = Workbook()
    book.active.append(HEADER)
    plain = io.BytesIO()
    book.save(plain)
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD1048576"', text)
                text = text.replace(
                    "</sheetData>",
                    '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>',
                )
                data = text.encode()
            target.writestr(info, data)
    return bomb.getvalue()


def test_xlsx_dimension_bomb_is_refused_before_expansion_and_stores_nothing(app):
    import tracemalloc

    content = dimension_bomb()
    assert len(content) < 8_000
    client = _hr(app)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Employee))
    tracemalloc.start()
    response = _post(client, "bom.xlsx", content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 400
    assert "Berkas terlalu besar" in response.text
    assert peak < 50 * 1024 * 1024
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Employee)) == before


def test_xlsx_with_too_many_columns_is_refused(app, context):
    book = Workbook()
    book.active.append(HEADER + [f"catatan{i}" for i in range(60)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _post(_hr(app), "lebar.xlsx", buffer.getvalue())
    assert response.status_code == 400 and "Berkas terlalu besar" in response.text


def test_xlsx_xml_entities_are_not_expanded():
    """openpyxl parses through defusedxml once it is installed (a declared dependency)."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
