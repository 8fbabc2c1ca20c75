"""Ruleset versions as policy officers manage them: drafts, validation, publish, roll back, re-pin.

A version's text never changes once published; periods pin a version by id, so publishing a new
version never changes a running period. Kepegawaian moves a period to another version explicitly
(`request_repin`), with a reason, and a job re-evaluates the period's stored results in
chunks. Every path that publishes (panel, API, CLI) goes through `publish_version`, which
validates the text with the engine first: an invalid text is never published.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import JobKind, JobState, RulesetStatus
from app.engine import Issue, Limits, LMap, checksum, load_located, validate_text
from app.models import Evaluation, Job, JobChunk, RuleSetVersion
from app.models.base import utcnow
from app.services import audit, jobs
from app.services.actor import Actor
from app.services.appraisal import periods
from app.services.appraisal.close import evaluation_claim
from app.services.appraisal.evaluations import results_for, stored, write_results
from app.services.authoring.rulesets import catalogue, catalogue_entries
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.unit_of_work import unit_of_work

#: config key -> field of the engine's `Limits`; unset keys keep the engine's defaults.
LIMIT_SETTINGS: dict[str, str] = {
    "KINERJA_RULES_MAX_BYTES": "max_bytes",
    "KINERJA_RULES_MAX_DEPTH": "max_depth",
    "KINERJA_RULES_MAX_NODES": "max_nodes",
    "KINERJA_RULES_MAX_ALIASES": "max_aliases",
}
REPIN_CHUNK = 2000
REPIN_KIND = JobKind.GANTI_ATURAN
NEW_RULESET_NAME = "aturan-baru"


class InvalidRuleset(InvalidInput):
    """A text that does not validate; carries the located issues for the editor's gutter."""

    def __init__(self, issues: list[Issue]) -> None:
        first = issues[0]
        more = f" (dan {len(issues) - 1} masalah lain)" if len(issues) > 1 else ""
        super().__init__(
            f"Aturan tidak valid, baris {first.line} kolom {first.col}: {first.message}{more}",
            field="yaml_text",
        )
        self.issues = issues

    def as_dict(self) -> dict[str, object]:
        return {"message": self.message, "issues": issues_json(self.issues)}


def issues_json(issues: Iterable[Issue]) -> list[dict[str, Any]]:
    """Issues in the shape the editor and the API answer with."""
    return [{"line": i.line, "col": i.col, "message": i.message} for i in issues]


def limits(config: Mapping[str, Any] | None = None) -> Limits:
    """The size and depth limits of ruleset texts: the engine's defaults, tightened or widened
    by the KINERJA_RULES_MAX_* settings, so an operator can tune them without a release."""
    if config is None:
        config = current_app.config if has_app_context() else {}
    chosen = {field: int(config[key]) for key, field in LIMIT_SETTINGS.items() if config.get(key)}
    return Limits(**chosen)


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _too_deep(depth: int) -> str:
    return f"Dokumen terlalu dalam: lebih dari {depth} tingkat."


def precheck(text: str, bounds: Limits) -> Issue | None:
    """A first pass over the YAML events with libyaml (C), refusing hostile shapes in
    milliseconds: PyYAML's pure-Python scanner, which the engine needs for exact positions, takes
    time quadratic in the nesting depth (20 s for 5,000 nested brackets), so depth, aliases and
    size are bounded before it runs. Syntax errors are left to the engine's located messages."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > bounds.max_bytes:
        return Issue(1, 1, f"Berkas terlalu besar: {size} bita (maksimal {bounds.max_bytes}).")
    depth = events = aliases = 0
    try:
        for event in yaml.parse(text, Loader=_FAST_LOADER):
            events += 1
            mark = event.start_mark
            if mark is None:  # libyaml marks every event it parses
                raise ValueError(f"YAML event without a position: {event!r}")
            line, col = mark.line + 1, mark.column + 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > bounds.max_depth:
                    return Issue(line, col, _too_deep(bounds.max_depth))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > bounds.max_aliases:
                    return Issue(
                        line, col, f"Terlalu banyak alias YAML (maksimal {bounds.max_aliases})."
                    )
            if events > bounds.max_nodes:
                return Issue(
                    line, col, f"Dokumen terlalu besar: lebih dari {bounds.max_nodes} simpul."
                )
    except yaml.MarkedYAMLError as exc:
        if "nesting" in str(exc.problem or ""):
            mark = exc.problem_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            return Issue(line, col, _too_deep(bounds.max_depth))
    except yaml.YAMLError:
        pass
    return None


def check(session: Session, text: str) -> list[Issue]:
    """Every issue of a text (empty when valid), with the configured limits and the catalogue."""
    bounds = limits()
    refused = precheck(text, bounds)
    if refused is not None:
        return [refused]
    # the database's catalogue: its codes, and the rater kinds each may be rated by
    return validate_text(text, catalogue_entries(catalogue(session)), bounds)


def ensure_valid(session: Session, text: str) -> None:
    issues = check(session, text)
    if issues:
        raise InvalidRuleset(issues)


def _require_officer(actor: Actor) -> None:
    if not actor.is_policy_officer:
        raise Forbidden("Hanya Perumus Kebijakan atau Admin yang dapat mengubah aturan penilaian.")


def get_version(session: Session, version_id: int) -> RuleSetVersion:
    version = session.get(RuleSetVersion, version_id)
    if version is None:
        raise NotFound("Versi aturan tidak ditemukan.")
    return version


def snapshot(version: RuleSetVersion) -> dict[str, Any]:
    """The audit view of a version: identity and state, not the whole text (the row keeps it)."""
    return {
        "id": version.id,
        "name": version.name,
        "number": version.number,
        "status": version.status,
        "checksum": version.checksum,
        "parent_id": version.parent_id,
    }


def ruleset_name(text: str, fallback: str = NEW_RULESET_NAME) -> str:
    """The `name:` of a text when it can be read within the limits, else `fallback`."""
    document, _ = load_located(text, limits())
    if isinstance(document, LMap) and isinstance(document.get("name"), str):
        name = document["name"].strip()
        if name:
            return name[:100]
    return fallback


def _next_number(session: Session, name: str) -> int:
    latest = session.scalar(
        select(func.max(RuleSetVersion.number)).where(RuleSetVersion.name == name)
    )
    return (latest or 0) + 1


def _check_size(text: str) -> None:
    """Refuse an oversized text before it is stored, even as a draft."""
    size = len(text.encode("utf-8", errors="replace"))
    ceiling = limits().max_bytes
    if size > ceiling:
        raise InvalidInput(
            f"Teks aturan terlalu besar: {size} bita (maksimal {ceiling}).", field="yaml_text"
        )


def _add_version(
    session: Session,
    actor: Actor,
    text: str,
    status: str,
    note: str | None,
    parent: RuleSetVersion | None,
    name: str | None = None,
) -> RuleSetVersion:
    family = name or (parent.name if parent else ruleset_name(text))
    version = RuleSetVersion(
        name=family,
        number=_next_number(session, family),
        yaml_text=text,
        checksum=checksum(text),
        status=status,
        note=(note or "").strip()[:500] or None,
        parent_id=parent.id if parent else None,
        author_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(version)
    session.flush()
    return version


# What a lost race reads as: another officer saved the version, or took the next number.
CHANGED = (
    "Versi ini telah diubah oleh pengguna lain sejak Anda membukanya. Muat ulang halaman dan "
    "terapkan kembali perubahan Anda."
)
DRAFT_SAVED = (
    "Draf ini telah disimpan oleh pengguna lain sejak Anda membukanya. Muat ulang halaman dan "
    "terapkan kembali perubahan Anda."
)
NUMBER_TAKEN = "Nomor versi baru sudah dipakai oleh pengguna lain; coba lagi."


@unit_of_work(stale=CHANGED, duplicate=NUMBER_TAKEN)
def create_draft(
    session: Session,
    actor: Actor,
    text: str,
    parent_id: int | None = None,
    note: str | None = None,
) -> RuleSetVersion:
    """A new draft (maybe from a parent version). Drafts may be invalid: work in progress is
    kept, and only publishing demands a valid text."""
    _require_officer(actor)
    _check_size(text)
    parent = get_version(session, parent_id) if parent_id else None
    version = _add_version(session, actor, text, RulesetStatus.DRAFT, note, parent)
    audit.describe(session, "aturan.draf", actor, subject=version, reason=note)
    return version


@unit_of_work(stale=DRAFT_SAVED, duplicate=NUMBER_TAKEN)
def save_draft(
    session: Session,
    actor: Actor,
    version_id: int,
    text: str,
    expected_lock_version: int,
    note: str | None = None,
) -> RuleSetVersion:
    """Replace a draft's text, refusing when someone saved it since `expected_lock_version`.

    Two officers editing one draft: the second save is refused with a message instead of
    silently overwriting the first. The check here covers the usual case; the version column
    (`lock_version`, SQLAlchemy's version counter) covers two saves racing in the same instant.
    """
    _require_officer(actor)
    _check_size(text)
    version = get_version(session, version_id)
    if version.status != RulesetStatus.DRAFT:
        state = "diterbitkan" if version.status == RulesetStatus.PUBLISHED else "diarsipkan"
        raise Conflict(
            f"Versi {version.number} sudah {state} dan tidak dapat diubah; buat draf baru darinya."
        )
    if version.lock_version != expected_lock_version:
        raise Conflict(DRAFT_SAVED, field="lock_version")
    version.yaml_text = text
    version.checksum = checksum(text)
    version.approved_by_id = None  # an approval covers the text that was approved, no other
    version.approved_at = None
    if note is not None and note.strip():
        version.note = note.strip()[:500]
    version.author_id = actor.user_id or version.author_id
    session.flush()
    audit.describe(session, "aturan.simpan_draf", actor, subject=version, reason=note)
    return version


def _archive_others(session: Session, version: RuleSetVersion) -> list[int]:
    """The version published before in the same family becomes archived: one current version
    per ruleset. Periods pinned to it keep it (pins are by id), so nothing running changes."""
    archived = []
    for other in session.scalars(
        select(RuleSetVersion).where(
            RuleSetVersion.name == version.name,
            RuleSetVersion.status == RulesetStatus.PUBLISHED,
            RuleSetVersion.id != version.id,
        )
    ):
        other.status = RulesetStatus.ARCHIVED
        archived.append(other.id)
    return archived


def _current(session: Session, name: str) -> RuleSetVersion | None:
    return session.scalar(
        select(RuleSetVersion)
        .where(RuleSetVersion.name == name, RuleSetVersion.status == RulesetStatus.PUBLISHED)
        .order_by(RuleSetVersion.published_at.desc(), RuleSetVersion.id.desc())
    )


def _mark_published(
    session: Session, actor: Actor, version: RuleSetVersion, note: str | None, action: str
) -> RuleSetVersion:
    current = _current(session, version.name)
    if current is not None and current.id != version.id and current.checksum == version.checksum:
        raise InvalidInput(
            f"Isi versi ini sama dengan versi {current.number} yang sedang berlaku; "
            "tidak ada yang perlu diterbitkan."
        )
    version.status = RulesetStatus.PUBLISHED
    version.published_at = utcnow()
    if note and note.strip():
        version.note = note.strip()[:500]
    archived = _archive_others(session, version)
    session.flush()
    audit.describe(
        session, action, actor, subject=version, reason=note, facts={"archived": archived}
    )
    return version


@unit_of_work(stale=CHANGED, duplicate=NUMBER_TAKEN)
def publish_version(
    session: Session,
    actor: Actor,
    version_id: int,
    note: str | None = None,
    expected_lock_version: int | None = None,
) -> RuleSetVersion:
    """Publish a valid draft. Open periods keep their pinned version until Kepegawaian re-pins."""
    _require_officer(actor)
    version = get_version(session, version_id)
    if version.status != RulesetStatus.DRAFT:
        raise Conflict(
            f"Hanya draf yang dapat diterbitkan; versi {version.number} berstatus "
            f"{version.status}. Untuk mengembalikan versi lama, gunakan Kembalikan."
        )
    if expected_lock_version is not None and version.lock_version != expected_lock_version:
        raise Conflict(
            "Draf ini telah diubah oleh pengguna lain; periksa lagi sebelum terbit.",
            field="lock_version",
        )
    ensure_valid(session, version.yaml_text)
    if four_eyes() and version.approved_by_id is None:
        raise Conflict(
            "Draf ini belum disetujui Perumus Kebijakan kedua; minta persetujuan sebelum terbit."
        )
    return _mark_published(session, actor, version, note, "aturan.terbit")


def four_eyes() -> bool:
    """Whether drafts need a second officer's approval before publishing (on by default)."""
    return bool(current_app.config.get("KINERJA_FOUR_EYES", True)) if has_app_context() else True


@unit_of_work(stale=CHANGED, duplicate=NUMBER_TAKEN)
def approve_version(
    session: Session, actor: Actor, version_id: int, expected_lock_version: int | None = None
) -> RuleSetVersion:
    """A second policy officer approves a valid draft as it stands now.

    The author of the draft's current text cannot approve it: the point is that two people
    have read the change. Saving the draft again withdraws the approval (`save_draft`)."""
    _require_officer(actor)
    version = get_version(session, version_id)
    if version.status != RulesetStatus.DRAFT:
        raise Conflict("Hanya draf yang dapat disetujui.")
    if expected_lock_version is not None and version.lock_version != expected_lock_version:
        raise Conflict(
            "Draf ini telah diubah sejak Anda membukanya; periksa lagi sebelum menyetujui.",
            field="lock_version",
        )
    if version.author_id is not None and version.author_id == actor.user_id:
        raise Forbidden("Penyusun draf tidak dapat menyetujui drafnya sendiri.")
    ensure_valid(session, version.yaml_text)
    version.approved_by_id = actor.user_id
    version.approved_at = utcnow()
    session.flush()
    audit.describe(session, "aturan.setujui", actor, subject=version)
    return version


def base_version(session: Session, version: RuleSetVersion) -> RuleSetVersion | None:
    """What a draft would replace: the published version of its ruleset, else its parent."""
    current = _current(session, version.name)
    if current is not None and current.id != version.id:
        return current
    return session.get(RuleSetVersion, version.parent_id) if version.parent_id else None


@unit_of_work(stale=CHANGED, duplicate=NUMBER_TAKEN)
def publish_text(
    session: Session,
    actor: Actor,
    text: str,
    note: str | None = None,
    name: str | None = None,
) -> RuleSetVersion:
    """Validate a text and publish it as the next version of its ruleset (the CLI and the
    API's headless path); its parent is the version it replaces.

    With four-eyes approval on (`KINERJA_FOUR_EYES`), a text is published only once a second
    policy officer has approved it: the first call stores it as a draft and returns that draft
    (status `draft`), the approval happens in the panel or through the API, and the same call
    again publishes the approved draft. A text that differs from the approved one is a new
    draft: what is published is always exactly what was approved.
    """
    _require_officer(actor)
    _check_size(text)
    ensure_valid(session, text)
    family = name or ruleset_name(text)
    parent = _current(session, family)
    if four_eyes():
        waiting = session.scalars(
            select(RuleSetVersion)
            .where(
                RuleSetVersion.name == family,
                RuleSetVersion.status == RulesetStatus.DRAFT,
                RuleSetVersion.checksum == checksum(text),
            )
            .order_by(RuleSetVersion.approved_by_id.is_(None), RuleSetVersion.id.desc())
        ).first()
        if waiting is None or waiting.yaml_text != text:
            draft = _add_version(
                session, actor, text, RulesetStatus.DRAFT, note, parent, name=family
            )
            audit.describe(session, "aturan.draf", actor, subject=draft, reason=note)
            return draft
        if waiting.approved_by_id is None:
            return waiting
        return _mark_published(session, actor, waiting, note, "aturan.terbit")
    version = _add_version(session, actor, text, RulesetStatus.DRAFT, note, parent, name=family)
    return _mark_published(session, actor, version, note, "aturan.terbit")


@unit_of_work(stale=CHANGED, duplicate=NUMBER_TAKEN)
def roll_back(
    session: Session, actor: Actor, version_id: int, note: str | None = None
) -> RuleSetVersion:
    """Publish an earlier version's text again, as a new version whose parent is that one.

    History only grows: the earlier row stays as it was, and the audit trail shows the return.
    """
    _require_officer(actor)
    earlier = get_version(session, version_id)
    if earlier.status == RulesetStatus.DRAFT:
        raise InvalidInput("Draf belum pernah diterbitkan; terbitkan draf itu secara langsung.")
    ensure_valid(session, earlier.yaml_text)
    text = f"Dikembalikan ke versi {earlier.number}"
    version = _add_version(
        session,
        actor,
        earlier.yaml_text,
        RulesetStatus.DRAFT,
        f"{text}: {note.strip()}" if note and note.strip() else text,
        earlier,
    )
    return _mark_published(session, actor, version, note or text, "aturan.kembalikan")


def published_versions(session: Session) -> list[RuleSetVersion]:
    """The versions a period may be pinned to (the current one of each ruleset)."""
    return list(
        session.scalars(
            select(RuleSetVersion)
            .where(RuleSetVersion.status == RulesetStatus.PUBLISHED)
            .order_by(RuleSetVersion.name, RuleSetVersion.number.desc())
        )
    )


@unit_of_work(stale="Periode telah diubah oleh pengguna lain; muat ulang halaman.")
def request_repin(
    session: Session,
    actor: Actor,
    period_id: int,
    version_id: int,
    reason: str,
    chunk_size: int = REPIN_CHUNK,
) -> Job:
    """Pin a period to another published version and queue the re-evaluation of its stored
    results; commits the new pin and the claim together.

    Kepegawaian only, with a reason, never on a closed period, never beside a running close or
    re-pin of the same period. From this commit on, live evaluations use the new version; the
    job re-evaluates every employee with a stored result in chunks (the rest are evaluated,
    with the new pin, when rated or when the period closes) and, when done, records the audit
    entry with how many predikat changed. A failed job leaves the new pin, and running it again
    (`repin_period`) finishes the re-evaluation.
    """
    if not actor.is_hr:
        raise Forbidden("Hanya Kepegawaian yang dapat memasang versi aturan pada periode.")
    if not (reason or "").strip():
        raise InvalidInput("Alasan penggantian versi aturan wajib diisi.", field="reason")
    period = periods.get_period(session, period_id)
    periods.ensure_writable(period)
    version = get_version(session, version_id)
    if version.status != RulesetStatus.PUBLISHED:
        raise InvalidInput(
            "Periode hanya dapat dipasangi versi aturan yang sudah diterbitkan.", field="version_id"
        )
    if period.ruleset_version_id == version.id:
        raise InvalidInput(f"Periode '{period.name}' sudah memakai versi ini.", field="version_id")
    before = {
        "ruleset_version_id": period.ruleset_version_id,
        "ruleset_version": str(period.ruleset_version) if period.ruleset_version else None,
    }
    job = jobs.claim(
        session,
        REPIN_KIND,
        evaluation_claim(period.id),
        actor,
        period_id=period.id,
        params={
            "version_id": version.id,
            "reason": reason.strip(),
            "before": before,
            "chunk_size": chunk_size,
        },
    )
    period.ruleset_version = version
    return job


def repin_period(
    session: Session,
    actor: Actor,
    period_id: int,
    version_id: int,
    reason: str,
    chunk_size: int = REPIN_CHUNK,
) -> dict[str, Any]:
    """`request_repin` run to its end in this process (the command line); its summary."""
    job = request_repin(session, actor, period_id, version_id, reason, chunk_size)
    job = jobs.run_inline(session, job.id)
    if job.state != JobState.DONE:
        raise InvalidInput(job.error or "Penggantian versi aturan gagal.")
    return dict(job.result or {})


def _repin_plan(session: Session, job: Job) -> list[jobs.PlannedChunk]:
    """Employees with a stored result, in chunks that carry each one's predikat before."""
    before = dict(
        session.execute(
            select(Evaluation.employee_id, Evaluation.predicate)
            .where(Evaluation.period_id == job.period_id)
            .order_by(Evaluation.employee_id)
        ).all()
    )
    ids = list(before)
    size = int(job.params.get("chunk_size") or REPIN_CHUNK)
    return [
        (part, {"before": {str(e): before[e] for e in part}}) for part, _ in jobs.chunked(ids, size)
    ]


def _repin_chunk(session: Session, job: Job, chunk: JobChunk) -> dict[str, Any]:
    period = periods.get_period(session, jobs.period_of(job))
    version = get_version(session, job.params["version_id"])
    ids = chunk.employee_ids
    results = [stored(r) for r in results_for(session, period, ids, version)]
    write_results(session, period, ids, results, version)
    before = (chunk.payload or {}).get("before", {})
    changed = sum(1 for e, r in zip(ids, results, strict=True) if before.get(str(e)) != r.predicate)
    return {"changed": changed}


def _repin_finish(session: Session, job: Job) -> None:
    version = get_version(session, job.params["version_id"])
    changed = sum(
        (row or {}).get("changed", 0)
        for row in session.scalars(select(JobChunk.result).where(JobChunk.job_id == job.id))
    )
    after = {
        "ruleset_version_id": version.id,
        "ruleset_version": str(version),
        "evaluated": job.total if job.chunks_total else 0,
        "predicate_changed": changed,
    }
    job.result = after
    audit.record(
        session,
        jobs.job_actor(job),
        "periode.ganti_aturan",
        "period",
        job.period_id,
        job.params.get("before"),
        after,
        job.params.get("reason"),
    )


jobs.register(jobs.Kind(REPIN_KIND, _repin_plan, _repin_chunk, _repin_finish))


MAX_INLINE_DIFF = 500  # characters of a line compared character by character
# Pairs of equal lines the line matcher would compare in its first pass (its cost grows with
# it): ordinary edits of a ruleset stay far below, repeated lines in bulk go above.
MAX_MATCH_WORK = 20_000


def _matching_work(a: list[str], b: list[str]) -> int:
    """How many (line of a, equal line of b) pairs there are: linear to count."""
    counts = Counter(b)
    return sum(counts[line] for line in a)


# difflib's (tag, i1, i2, j1, j2)
Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


class _BoundedLineMatcher(difflib.SequenceMatcher[str]):
    """difflib's line matcher with its cost bounded.

    Its matching is quadratic, or worse, when lines repeat (20,000 equal lines with one change
    took 88 s; 1,000 × 1,000 alternating lines 18 s). Unchanged lines at the start and end are
    taken off first, in linear time; the changed middle is matched line by line only while its
    matching work (counted in linear time) stays below MAX_MATCH_WORK, and beyond that it is
    shown as one replaced block: a correct, if coarse, diff.
    """

    # the texts' lines, as set_seqs stores them (difflib's type stubs leave both out)
    a: list[str]
    b: list[str]

    def get_opcodes(self) -> list[Opcode]:
        a, b = self.a, self.b
        limit = min(len(a), len(b))
        start = 0
        while start < limit and a[start] == b[start]:
            start += 1
        end = 0
        while end < limit - start and a[-1 - end] == b[-1 - end]:
            end += 1
        middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
        middle: list[Opcode]
        if not middle_a and not middle_b:
            middle = []
        elif not middle_a:
            middle = [("insert", 0, 0, 0, len(middle_b))]
        elif not middle_b:
            middle = [("delete", 0, len(middle_a), 0, 0)]
        elif _matching_work(middle_a, middle_b) <= MAX_MATCH_WORK:
            matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
            middle = matcher.get_opcodes()
        else:
            middle = [("replace", 0, len(middle_a), 0, len(middle_b))]
        codes: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
        codes += [
            (tag, i1 + start, i2 + start, j1 + start, j2 + start) for tag, i1, i2, j1, j2 in middle
        ]
        if end:
            codes.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
        return codes


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side diff; `kind` is equal, replace, delete, insert or skip."""

    kind: str
    left_no: int | None
    left: str
    right_no: int | None
    right: str


def diff_rows(left: str, right: str, context: int = 3) -> list[DiffRow]:
    """A side-by-side diff of two texts, unchanged stretches folded to `context` lines."""
    a, b = left.splitlines(), right.splitlines()
    rows: list[DiffRow] = []
    groups = _BoundedLineMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context)
    for index, group in enumerate(groups):
        if index:
            rows.append(DiffRow("skip", None, "", None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    DiffRow("equal", i1 + k + 1, a[i1 + k], j1 + k + 1, b[j1 + k])
                    for k in range(i2 - i1)
                )
                continue
            span = max(i2 - i1, j2 - j1)
            for k in range(span):
                li, rj = i1 + k, j1 + k
                has_left, has_right = li < i2, rj < j2
                kind = (
                    tag
                    if tag != "replace"
                    else (
                        "replace" if has_left and has_right else "delete" if has_left else "insert"
                    )
                )
                rows.append(
                    DiffRow(
                        kind,
                        li + 1 if has_left else None,
                        a[li] if has_left else "",
                        rj + 1 if has_right else None,
                        b[rj] if has_right else "",
                    )
                )
    return rows


def changed_spans(left: str, right: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Within one replaced line, the pieces on each side and whether each piece changed.

    A character diff costs up to the product of the two lengths (10,000-character lines took
    seconds of CPU per request); beyond MAX_INLINE_DIFF characters a line gets the linear
    answer instead: the common start and end unchanged, the middle changed.
    """
    if len(left) > MAX_INLINE_DIFF or len(right) > MAX_INLINE_DIFF:
        return _prefix_suffix_spans(left, right)
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    lhs: list[tuple[str, bool]] = []
    rhs: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            lhs.append((left[i1:i2], tag != "equal"))
        if j2 > j1:
            rhs.append((right[j1:j2], tag != "equal"))
    return lhs, rhs


def _prefix_suffix_spans(
    left: str, right: str
) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Linear in the lengths: unchanged common prefix and suffix, the rest changed."""
    limit = min(len(left), len(right))
    start = 0
    while start < limit and left[start] == right[start]:
        start += 1
    end = 0
    while end < limit - start and left[-1 - end] == right[-1 - end]:
        end += 1

    def pieces(text: str) -> list[tuple[str, bool]]:
        middle_end = len(text) - end
        parts = [(text[:start], False), (text[start:middle_end], True), (text[middle_end:], False)]
        return [(piece, changed) for piece, changed in parts if piece]

    return pieces(left), pieces(right)
