"""`kinerja init`: everything a new installation needs before the first login, idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import JABATAN_KINDS, RulesetStatus
from app.engine import checksum
from app.models import Indicator, RuleSetVersion
from app.models.base import utcnow
from app.services.errors import InvalidInput
from app.services.people import accounts
from app.services.people.passwords import validate_password


@dataclass
class InitReport:
    """What `init` did, for the operator."""

    roles: int = 0
    indicators_added: int = 0
    rulesets_imported: list[str] | None = None
    admin_created: bool = False


def import_rulesets(session: Session, rules_dir: Path) -> list[str]:
    """Import each shipped ruleset as its first published version when it has none yet."""
    imported: list[str] = []
    for path in sorted(rules_dir.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        document = yaml.safe_load(text)
        if not isinstance(document, dict) or "aspects" not in document:
            continue  # catalogues and other data files are not rulesets
        name = str(document.get("name") or path.stem)
        exists = session.scalar(
            select(func.count()).select_from(RuleSetVersion).where(RuleSetVersion.name == name)
        )
        if exists:
            continue
        session.add(
            RuleSetVersion(
                name=name,
                number=1,
                yaml_text=text,
                checksum=checksum(text),
                status=RulesetStatus.PUBLISHED,
                note=f"Aturan bawaan dari {path.name}",
                published_at=utcnow(),
            )
        )
        imported.append(name)
    session.flush()
    return imported


def import_indicators(session: Session, catalogue: Path) -> int:
    """Add the indicators of the shipped catalogue that the database does not have yet."""
    if not catalogue.exists():
        return 0
    document = yaml.safe_load(catalogue.read_text(encoding="utf-8")) or {}
    entries = document.get("indicators", document) if isinstance(document, dict) else document
    if isinstance(entries, dict):
        entries = [{"code": code, **(spec or {})} for code, spec in entries.items()]
    known = set(session.scalars(select(Indicator.code)))
    added = 0
    for entry in entries:
        code = str(entry["code"])
        if code in known:
            continue
        session.add(
            Indicator(
                code=code,
                label=str(entry.get("label", code)),
                description=entry.get("description"),
                aspect=str(entry.get("aspect", "")),
                scale=str(entry.get("scale", "ekspektasi")),
                rater_kinds=",".join(entry.get("raters", ["supervisor"])),
                jabatan_kinds=",".join(entry.get("jabatan", list(JABATAN_KINDS))),
            )
        )
        added += 1
    session.flush()
    return added


def initialise(
    session: Session,
    rules_dir: Path,
    admin_username: str | None = None,
    admin_password: str | None = None,
) -> InitReport:
    """Roles, shipped rulesets, indicator catalogue and (when asked) the first administrator."""
    report = InitReport()
    roles = accounts.ensure_roles(session)
    report.roles = len(roles)
    report.rulesets_imported = import_rulesets(session, rules_dir)
    report.indicators_added = import_indicators(session, rules_dir / "indicators.yaml")
    if admin_username and admin_password:
        try:
            validate_password(admin_password)
        except Exception as exc:  # FAB's validation error carries the Indonesian message
            raise InvalidInput(str(exc), field="password") from None
        _, report.admin_created = accounts.ensure_user(
            session,
            username=admin_username,
            password=admin_password,
            first_name="Administrator",
            last_name="Kinerja",
            email=f"{admin_username}@localhost",
            roles=[roles["Admin"]],
        )
    session.commit()
    return report
