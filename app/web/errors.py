"""Refusals and failures become pages (or JSON) in Indonesian that say what happened and what to
do next, in the panel's layout, with the right status; never a traceback or werkzeug's English."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, current_app, g, jsonify, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from app.extensions import db
from app.services.errors import ServiceError

log = logging.getLogger(__name__)

# status -> (title, what happened, what to do)
PAGES: dict[int, tuple[str, str, str]] = {
    400: (
        "Permintaan tidak dapat diproses",
        "Isian atau alamat yang dikirim tidak lengkap atau tidak sesuai.",
        "Periksa kembali isian Anda lalu kirim lagi.",
    ),
    403: (
        "Akses tidak diizinkan",
        "Akun Anda tidak memiliki hak untuk membuka halaman atau melakukan tindakan ini.",
        "Bila Anda memerlukannya, hubungi Kepegawaian atau administrator; atau masuk dengan "
        "akun lain.",
    ),
    404: (
        "Halaman tidak ditemukan",
        "Halaman atau data yang Anda cari tidak ada, sudah dihapus, atau bukan untuk Anda.",
        "Periksa alamatnya, atau mulai lagi dari Beranda.",
    ),
    405: (
        "Cara membuka halaman tidak sesuai",
        "Halaman ini hanya dapat dibuka melalui tombol atau formulir di aplikasi.",
        "Kembali ke halaman sebelumnya dan gunakan tombol yang tersedia.",
    ),
    409: (
        "Data sudah berubah",
        "Data ini baru saja diubah orang lain atau periodenya sudah ditutup.",
        "Muat ulang halaman untuk melihat data terbaru, lalu ulangi bila masih perlu.",
    ),
    413: (
        "Berkas terlalu besar",
        "Berkas atau formulir yang dikirim melebihi batas ukuran. Tidak ada yang disimpan.",
        "Perkecil berkasnya (misalnya simpan ulang sebagai PDF) lalu unggah lagi.",
    ),
    429: (
        "Terlalu banyak percobaan",
        "Terlalu banyak permintaan dari perangkat ini dalam waktu singkat.",
        "Tunggu beberapa menit, lalu coba lagi.",
    ),
    500: (
        "Terjadi kesalahan pada sistem",
        "Permintaan Anda tidak dapat diselesaikan karena kesalahan di server. Perubahan yang "
        "sedang dikirim tidak disimpan.",
        "Coba lagi beberapa saat lagi. Bila terus terjadi, laporkan waktu kejadian kepada "
        "administrator.",
    ),
}

CSRF_PAGE = (
    "Halaman sudah kedaluwarsa",
    "Formulir ini terbuka terlalu lama atau sesi Anda telah berakhir, sehingga kiriman ditolak "
    "demi keamanan. Tidak ada yang diubah.",
    "Muat ulang halaman (masuk lagi bila diminta) lalu kirim kembali. Isian penilaian yang "
    "sedang Anda ketik tersimpan otomatis sebagai draf.",
)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _back_link() -> str | None:
    """The page the user came from, only when it is on this site."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    return referrer if referrer != request.url else None


def error_page(
    status: int, message: str | None = None, page: tuple[str, str, str] | None = None
) -> tuple[Response | str, int]:
    """The response for a refusal: JSON for the API, else the panel's error page.

    `message` (a service's own words) replaces the generic "what happened".
    """
    title, happened, todo = page or PAGES.get(status, PAGES[500 if status >= 500 else 400])
    if _wants_json():
        return jsonify({"message": message or happened}), status
    appbuilder = current_app.extensions["appbuilder"]
    if "user" not in g:  # refused before FAB's own before_request ran (CSRF): the menu needs it
        g.user = current_user
    body = render_template(
        "kinerja/error.html",
        status=status,
        title=title,
        message=message or happened,
        todo=todo,
        back=_back_link(),
        home=url_for("KinerjaIndexView.index"),
        login=url_for(appbuilder.sm.auth_view.__class__.__name__ + ".login"),
        appbuilder=appbuilder,
        base_template=appbuilder.base_template,
    )
    return body, status


def service_error(exc: ServiceError) -> tuple[Response | str, int]:
    db.session.rollback()  # nothing half-done by the refused request may be flushed later
    if _wants_json():
        return jsonify(exc.as_dict()), exc.status
    return error_page(exc.status, exc.message)


def csrf_error(_exc: CSRFError) -> tuple[Response | str, int]:
    db.session.rollback()
    return error_page(400, page=CSRF_PAGE)


def http_error(exc: HTTPException) -> tuple[Response | str, int] | HTTPException:
    """Werkzeug's English pages replaced; redirects and the like pass through untouched."""
    status = exc.code or 500
    if status < 400 or exc.response is not None:  # a page its raiser already wrote (429 ...)
        return exc
    if status >= 500:
        db.session.rollback()
    if status == 413:
        megabytes = current_app.config["KINERJA_MAX_UPLOAD_BYTES"] / (1024 * 1024)
        return error_page(
            413, f"Berkas terlalu besar: batasnya {megabytes:g} MB. Tidak ada yang disimpan."
        )
    return error_page(status)


def server_error(exc: InternalServerError) -> tuple[Response | str, int]:
    """An unexpected failure: logged with its traceback for the administrator, a page for
    the user."""
    original = getattr(exc, "original_exception", None) or exc
    log.error("Kesalahan tak terduga pada %s %s", request.method, request.path, exc_info=original)
    db.session.rollback()
    return error_page(500)


def register_error_pages(app: Flask) -> None:
    app.register_error_handler(ServiceError, service_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(InternalServerError, server_error)
    app.register_error_handler(HTTPException, http_error)
