"""Explanations for people: an engine result's entries as sentences, with the catalogue's
indicator names. The dashboard, the evaluation pages, the rating preview, the PDF and the API
all come through here to the one renderer (`app.domain.explanations`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.explanations import sentences
from app.models import Indicator


def indicator_names(session: Session) -> dict[str, str]:
    """Indicator code -> name (a catalogue of a dozen rows: one small query)."""
    return {code: name for code, name in session.execute(select(Indicator.code, Indicator.label))}


def explain(session: Session, result: Mapping[str, Any] | None) -> list[str]:
    """The sentences of a stored or fresh engine result, in pipeline order."""
    if not result or not result.get("explanation"):
        return []
    return sentences(result, indicator_names(session))
