"""Import employees from Excel (XLSX) or CSV: every row is checked, all are stored or none.

Each row goes through the same checks as the form and the API (`check_employee`), plus what
only a file can get wrong: a NIP twice in the file, an unknown unit or jabatan, a supervisor
who is neither in the database nor in the file, supervisors in the file forming a loop. Errors
are listed by the row number the user sees in their spreadsheet (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import JobKind
from app.models import Employee, Job, JobChunk, Position, Unit
from app.services import audit, jobs
from app.services.actor import Actor
from app.services.errors import Forbidden, InvalidInput
from app.services.people.organisation import check_employee

MAX_ROWS = 50_000
MAX_COLUMNS = 50  # the import reads 7; room for the user's own notes beside them
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # 50,000 rows of 50 short cells unpack to far less
TOO_LARGE = (
    f"Berkas terlalu besar: paling banyak {MAX_ROWS:,} baris dan {MAX_COLUMNS} kolom "
    "per impor.".replace(",", ".")
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "nip": ("nip",),
    "name": ("nama", "name"),
    "status": ("status",),
    "golongan": ("golongan", "gol"),
    "position": ("jabatan", "position"),
    "unit": ("unit", "kode_unit", "unit_code"),
    "supervisor_nip": ("nip_atasan", "atasan_nip", "supervisor_nip"),
    "jenjang": ("jenjang", "jenjang_jabatan"),
}
REQUIRED = ("nip", "name", "status", "golongan", "position", "unit")
LABELS = {
    "nip": "NIP",
    "name": "nama",
    "status": "status",
    "golongan": "golongan",
    "position": "jabatan",
    "unit": "unit",
    "supervisor_nip": "NIP atasan",
    "jenjang": "jenjang",
}


@dataclass
class RowError:
    row: int
    field: str | None
    message: str


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(content: bytes) -> list[list[str]]:
    """The first sheet's non-empty rows, read so that no file can make us expand it.

    An XLSX is a zip of XML: a few kilobytes may declare a sheet of 1,048,576 × 16,384 cells
    (its `<dimension>`), or inflate to gigabytes. Three bounds, each checked before the cost:
    the unpacked size of the archive (from its directory, which zipfile also enforces while
    reading), the declared dimension, and a streaming read (openpyxl read-only, XML parsed
    through defusedxml) that stops at MAX_COLUMNS columns and MAX_ROWS + 1 rows whatever the
    declaration says.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise InvalidInput("Berkas Excel tidak dapat dibaca.", field="file") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise InvalidInput(TOO_LARGE, field="file")
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.active
        declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
        if declared_rows > MAX_ROWS + 1 or declared_columns > MAX_COLUMNS:
            raise InvalidInput(TOO_LARGE, field="file")
        raw: list[list[str]] = []
        for values in sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS, values_only=True):
            cells = [_cell(v) for v in values]
            raw.append(cells if any(cells) else [])  # blank rows keep the numbering, cheaply
        book.close()
    except InvalidInput:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InvalidInput("Berkas Excel tidak dapat dibaca.", field="file") from exc
    return raw


def read_rows(filename: str, content: bytes) -> list[dict[str, str]]:
    """The file's rows as dicts keyed by our column names (header matched loosely)."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(content)
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput("Berkas CSV harus berkodekan UTF-8.", field="file") from exc
        delimiter = (
            ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        )
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        raw = []
        for row in reader:
            if len(raw) > MAX_ROWS + 1 or len(row) > MAX_COLUMNS:
                raise InvalidInput(TOO_LARGE, field="file")
            raw.append([c.strip() for c in row])
    else:
        raise InvalidInput("Unggah berkas .xlsx atau .csv.", field="file")
    if not raw:
        raise InvalidInput("Berkas kosong.", field="file")
    header = [h.strip().lower().replace(" ", "_") for h in raw[0]]
    index: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for position, title in enumerate(header):
            if title in names:
                index[key] = position
                break
    missing = [LABELS[k] for k in REQUIRED if k not in index]
    if missing:
        raise InvalidInput("Kolom wajib tidak ada: " + ", ".join(missing) + ".", field="file")
    if len(raw) - 1 > MAX_ROWS:
        raise InvalidInput(f"Paling banyak {MAX_ROWS} baris per impor.", field="file")
    rows = []
    for values in raw[1:]:
        rows.append({k: values[i] if i < len(values) else "" for k, i in index.items()})
    return rows


def _loops(file_supervisor: dict[str, str]) -> set[str]:
    """NIPs in the file whose in-file supervisor chain comes back to them."""
    looping: set[str] = set()
    for start in file_supervisor:
        seen, current = {start}, file_supervisor.get(start)
        while current in file_supervisor:
            if current in seen:
                looping.add(start)
                break
            seen.add(current)
            current = file_supervisor.get(current)
    return looping


def import_employees(
    session: Session, actor: Actor, filename: str, content: bytes, commit: bool = True
) -> ImportResult:
    """Check every row; store all in one transaction when none has an error (without
    committing when `commit` is false: the import job commits it with its chunk)."""
    if not actor.is_hr:
        raise Forbidden("Impor pegawai hanya untuk Kepegawaian.")
    rows = read_rows(filename, content)
    result = ImportResult()
    units = dict(session.execute(select(Unit.code, Unit.id)).all())
    positions = dict(session.execute(select(Position.name, Position.id)).all())
    kinds = dict(session.execute(select(Position.name, Position.kind)).all())
    seen: dict[str, int] = {}
    in_file_supervisor: dict[str, str] = {}
    valid: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        problems = _check_row(session, row, number, units, kinds, seen)
        if row["nip"]:
            seen.setdefault(row["nip"], number)
        result.errors.extend(problems)
        if not problems:
            valid.append((number, row))
    file_nips = set(seen)
    db_supervisors: dict[str, int] = {}
    wanted = {row.get("supervisor_nip") for _, row in valid if row.get("supervisor_nip")}
    if wanted:
        db_supervisors = dict(
            session.execute(select(Employee.nip, Employee.id).where(Employee.nip.in_(wanted))).all()
        )
    for number, row in valid:
        boss = row.get("supervisor_nip") or ""
        if not boss:
            continue
        if boss == row["nip"]:
            result.errors.append(
                RowError(number, "supervisor_nip", "Pegawai tidak dapat menjadi atasannya sendiri.")
            )
        elif boss in file_nips:
            in_file_supervisor[row["nip"]] = boss
        elif boss not in db_supervisors:
            result.errors.append(
                RowError(number, "supervisor_nip", f"Atasan dengan NIP {boss} tidak ditemukan.")
            )
    for nip in sorted(_loops(in_file_supervisor)):
        result.errors.append(
            RowError(
                seen[nip], "supervisor_nip", "Rantai atasan di dalam berkas membentuk lingkaran."
            )
        )
    if not rows:
        result.errors.append(RowError(2, None, "Berkas tidak memuat data pegawai."))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        session.rollback()
        return result
    _store(session, actor, valid, units, positions, db_supervisors, commit)
    result.created = len(valid)
    return result


def _jenjang(text: str | None) -> str:
    """A jenjang as people write it ("Ahli Pertama", "ahli-pertama") in the vocabulary's form."""
    return "_".join((text or "").strip().lower().replace("-", " ").split())


def _check_row(
    session: Session,
    row: dict[str, str],
    number: int,
    units: dict[str, int],
    kinds: dict[str, str],
    seen: dict[str, int],
) -> list[RowError]:
    problems: list[RowError] = []
    for key in REQUIRED:
        if not row.get(key):
            problems.append(RowError(number, key, f"Kolom {LABELS[key]} wajib diisi."))
    if problems:
        return problems
    if row["nip"] in seen:
        problems.append(
            RowError(number, "nip", f"NIP {row['nip']} sudah ada di baris {seen[row['nip']]}.")
        )
    status = row["status"].upper()
    row["status"] = status
    row["jenjang"] = _jenjang(row.get("jenjang"))
    try:
        check_employee(
            session,
            employee_id=None,
            nip=row["nip"],
            status=status,
            golongan=row["golongan"],
            supervisor_id=None,
            jenjang=row["jenjang"] or None,
            jabatan_kind=kinds.get(row["position"]),
        )
    except InvalidInput as exc:
        problems.append(RowError(number, exc.field, exc.message))
    if row["unit"] not in units:
        problems.append(RowError(number, "unit", f"Unit dengan kode '{row['unit']}' tidak ada."))
    if row["position"] not in kinds:
        problems.append(
            RowError(
                number, "position", f"Jabatan '{row['position']}' tidak ada di daftar jabatan."
            )
        )
    if len(row["name"]) > 200:
        problems.append(RowError(number, "name", "Nama paling banyak 200 karakter."))
    return problems


def _store(
    session: Session,
    actor: Actor,
    valid: list[tuple[int, dict[str, str]]],
    units: dict[str, int],
    positions: dict[str, int],
    db_supervisors: dict[str, int],
    commit: bool = True,
) -> None:
    """Insert everyone, then link supervisors (file rows may point at later rows); commit."""
    created: dict[str, Employee] = {}
    try:
        for _, row in valid:
            person = Employee(
                nip=row["nip"],
                name=row["name"],
                status=row["status"],
                golongan=row["golongan"],
                jenjang=row.get("jenjang") or None,
                position_id=positions[row["position"]],
                unit_id=units[row["unit"]],
            )
            session.add(person)
            created[row["nip"]] = person
        session.flush()
        for _, row in valid:
            boss = row.get("supervisor_nip")
            if boss:
                target = created.get(boss)
                created[row["nip"]].supervisor_id = (
                    target.id if target is not None else db_supervisors[boss]
                )
        session.flush()
        audit.record(
            session,
            actor,
            "pegawai.impor",
            "employee",
            None,
            None,
            {"count": len(created), "nips": sorted(created)[:1000]},
        )
        if commit:
            session.commit()
    except BaseException:
        session.rollback()
        raise


# --- the import as background work ------------------------------------------------------------

KIND = JobKind.IMPOR
CLAIM = "impor:pegawai"  # one import at a time: two files could hold the same NIP


def request_import(session: Session, actor: Actor, filename: str, content: bytes) -> Job:
    """Keep the uploaded file on a queued import job and commit; a worker checks and stores it
    (`import_employees`), all rows or none, and the job keeps the outcome for the page."""
    if not actor.is_hr:
        raise Forbidden("Impor pegawai hanya untuk Kepegawaian.")
    job = jobs.claim(
        session, KIND, CLAIM, actor, params={}, file_name=filename or "", file_data=content
    )
    session.commit()
    return job


def stored_result(job: Job) -> ImportResult:
    """The finished import's outcome, as the page shows it."""
    data = job.result or {}
    return ImportResult(
        created=data.get("created", 0),
        errors=[RowError(*error) for error in data.get("errors", [])],
    )


def _plan(session: Session, job: Job) -> list[jobs.PlannedChunk]:
    return [([], None)]


def _run_chunk(session: Session, job: Job, chunk: JobChunk) -> dict[str, Any]:
    """The whole file in one chunk: stored with the chunk's mark, or not at all."""
    result = import_employees(
        session, jobs.job_actor(job), job.file_name or "", job.file_data or b"", commit=False
    )
    return {
        "created": result.created,
        "errors": [[e.row, e.field, e.message] for e in result.errors],
    }


def _finish(session: Session, job: Job) -> None:
    job.result = session.scalar(select(JobChunk.result).where(JobChunk.job_id == job.id))
    job.file_data = None  # the rows are stored (or refused); the upload is not kept


jobs.register(jobs.Kind(KIND, _plan, _run_chunk, _finish))
