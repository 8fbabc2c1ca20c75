"""Form field errors in Indonesian.

WTForms ships no Indonesian catalogue and Flask-WTF looks only in WTForms' own folder; it does
first read a catalogue already set on the request (`request.wtforms_translations`), so one is
set here, from app/translations (domain `wtforms`), for the request's locale.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel import support
from flask import Flask, request
from flask_babel import get_locale

DIRECTORY = Path(__file__).resolve().parent.parent / "translations"


@lru_cache(maxsize=8)
def _catalogue(locale: str) -> support.NullTranslations:
    """The `wtforms` catalogue for `locale` (an empty NullTranslations when there is none)."""
    return support.Translations.load(str(DIRECTORY), [locale], domain="wtforms")


def register_form_messages(app: Flask) -> None:
    @app.before_request
    def _form_messages() -> None:
        locale = get_locale()
        if locale is not None and locale.language == "id":
            found = _catalogue("id")
            request.wtforms_translations = found  # type: ignore[attr-defined]  # Flask-WTF reads it
