"""Bukti dukung: evidence files attached to a realisation entry.

A file is accepted for what it *is*, not for what it is called: its first bytes (and, for
Office files, the parts inside the zip) must be one of the allowed types, and the name's
extension must agree. Files live outside the static folder under a random name with their
SHA-256, and are handed out only through `open_evidence`, which applies the same reach rule as
the dashboard. Deleting only marks the row: the audit trail must still point at something.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from app.models import Evidence
from app.models.base import utcnow
from app.services import access, audit
from app.services.actor import Actor
from app.services.appraisal.periods import ensure_writable
from app.services.appraisal.realisation import get_realisation
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.unit_of_work import unit_of_work

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    XLSX: (".xlsx",),
    DOCX: (".docx",),
}
TYPE_NAMES = "PDF, JPG, PNG, XLSX atau DOCX"
_OFFICE_PARTS = {
    XLSX: ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    DOCX: ("word/document.xml", "wordprocessingml.document.main+xml"),
}
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # [Content_Types].xml is a few KB; refuse zip bombs


@dataclass(frozen=True)
class Upload:
    """What the web layer hands over: the client's file name and a readable stream."""

    filename: str | None
    stream: IO[bytes]


def _office_type(content: bytes) -> str | None:
    """XLSX or DOCX by their package parts, else None (a plain zip, a macro file, junk)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES_BYTES:
                return None
            types = archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    for media_type, (part, marker) in _OFFICE_PARTS.items():
        if part in names and marker in types:
            return media_type
    return None


def sniff(content: bytes) -> str | None:
    """The media type of `content` judged by its bytes, or None when it is not allowed."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"PK\x03\x04"):
        return _office_type(content)
    return None


def clean_filename(filename: str | None) -> str:
    """The client's file name, normalised (NFC; control and format characters such as the
    right-to-left override removed, so "foto\u202egpj.exe" cannot pose as "fotoexe.jpg"), and
    refused when it carries a path."""
    name = unicodedata.normalize("NFC", filename or "")
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf")).strip()
    if not name:
        raise InvalidInput("Pilih berkas yang akan diunggah.", field="file")
    if "/" in name or "\\" in name or ".." in name:
        raise InvalidInput(
            "Nama berkas tidak boleh memuat folder atau jalur (/, \\, ..).", field="file"
        )
    if len(name) > 255:
        raise InvalidInput("Nama berkas terlalu panjang (maksimal 255 karakter).", field="file")
    return name


def read_limited(stream: IO[bytes], limit: int) -> bytes:
    """Read at most `limit` bytes; a longer stream is refused without reading it all."""
    content = stream.read(limit + 1)
    if len(content) > limit:
        megabytes = limit / (1024 * 1024)
        raise InvalidInput(f"Berkas terlalu besar: batasnya {megabytes:g} MB.", field="file")
    if not content:
        raise InvalidInput("Berkas kosong.", field="file")
    return content


def check_upload(filename: str | None, content: bytes) -> tuple[str, str]:
    """(clean name, media type) of an acceptable file; InvalidInput with the reason otherwise."""
    name = clean_filename(filename)
    media_type = sniff(content)
    if media_type is None:
        raise InvalidInput(
            f"Isi berkas '{name}' bukan {TYPE_NAMES} yang sah; berkas ditolak.", field="file"
        )
    extension = os.path.splitext(name)[1].lower()
    if extension not in EXTENSIONS[media_type]:
        raise InvalidInput(
            f"Isi berkas ({EXTENSIONS[media_type][0][1:].upper()}) tidak sesuai dengan nama "
            f"berkasnya ('{name}').",
            field="file",
        )
    return name, media_type


def upload_evidence(
    session: Session,
    actor: Actor,
    realisation_id: int,
    upload: Upload,
    storage_dir: Path,
    max_bytes: int,
) -> Evidence:
    """Check and store one file for the owner's realisation entry, then commit.

    The file is written before the commit and removed again if the commit fails, so a refused
    or failed upload leaves neither a row nor a file.
    """
    entry = get_realisation(session, actor, realisation_id)
    if actor.employee_id != entry.rhk.skp.employee_id:
        raise Forbidden("Hanya pegawai pemilik realisasi yang dapat mengunggah bukti dukung.")
    ensure_writable(entry.rhk.skp.period)
    content = read_limited(upload.stream, max_bytes)
    name, media_type = check_upload(upload.filename, content)
    storage_dir.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16)
    path = storage_dir / stored_name
    path.write_bytes(content)
    try:
        evidence = Evidence(
            realisation_id=entry.id,
            original_name=name,
            stored_name=stored_name,
            media_type=media_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by_id=actor.user_id,
        )
        session.add(evidence)
        session.flush()
        audit.describe(session, "bukti.unggah", actor, subject=evidence)
        session.commit()
    except BaseException:
        session.rollback()
        path.unlink(missing_ok=True)
        raise
    return evidence


def get_evidence(session: Session, actor: Actor, evidence_id: int) -> Evidence:
    """A live evidence row the actor may reach, else NotFound (never a hint that it exists)."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.deleted_at is not None:
        raise NotFound("Bukti dukung tidak ditemukan.")
    get_realisation(session, actor, evidence.realisation_id)
    return evidence


def open_evidence(
    session: Session, actor: Actor, evidence_id: int, storage_dir: Path
) -> tuple[Evidence, Path]:
    """The row and its file on disk, after the reach check and a checksum comparison."""
    evidence = get_evidence(session, actor, evidence_id)
    path = storage_dir / evidence.stored_name
    if not path.is_file():
        raise NotFound("Berkas bukti dukung tidak ditemukan di penyimpanan.")
    if hashlib.sha256(path.read_bytes()).hexdigest() != evidence.sha256:
        raise Conflict("Berkas bukti dukung di penyimpanan tidak cocok dengan checksum-nya.")
    return evidence, path


@unit_of_work()
def delete_evidence(session: Session, actor: Actor, evidence_id: int) -> Evidence:
    """Mark the file deleted (the bytes stay for the audit trail), and commit."""
    evidence = get_evidence(session, actor, evidence_id)
    owner = evidence.realisation.rhk.skp.employee
    if not (access.is_self(actor, owner) or access.role_wide(actor)):
        raise Forbidden("Hanya pemilik atau Kepegawaian yang dapat menghapus bukti dukung.")
    ensure_writable(evidence.realisation.rhk.skp.period)
    evidence.deleted_at = utcnow()
    evidence.deleted_by_id = actor.user_id
    session.flush()
    audit.describe(
        session,
        "bukti.hapus",
        actor,
        subject=evidence,
        facts={"name": evidence.original_name, "sha256": evidence.sha256},
    )
    return evidence
