"""The audit trail: every write to an audited model, whatever the path, leaves one entry.

One mechanism at the session level sees them all: the generated CRUD screens, the REST API,
the services and the CLI write through the ORM session, and a listener on it
(`after_flush`) notes each audited row that was added, changed or deleted, with the changed
columns' values before and after. When the transaction commits (`before_commit`), the notes
become ONE entry per transaction, i.e. per user action: a rating form with 28 items is one
entry listing its 28 ratings, not 28 entries. Nothing is written for a rolled-back transaction.

A service names its action (`describe`): who acts, the action's name ("skp.ajukan"), a reason,
the object the action is about, and facts the rows do not show (how many results a re-pin
changed). Without a name the entry is called `<object>.tambah|ubah|hapus`, and the actor is the
CLI's (`acting_as`), else the signed-in user (the resolver the web layer installs), else
"sistem".

`record` stays for events that change no audited row (a failed login, an export).
Writes that bypass the ORM (the executemany of closing a period) are covered by the explicit
entry of their service, not by the listener.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.attributes import NO_VALUE

from app.models import (
    Appeal,
    AspectLevel,
    AuditLog,
    DialogEntry,
    Employee,
    Evaluation,
    Evidence,
    Indicator,
    PeerAssignment,
    Period,
    Position,
    Rating,
    Realisation,
    Rhk,
    RuleSetVersion,
    Skp,
    SkpExpectation,
    Unit,
    UnitResult,
)
from app.services.actor import Actor

MAX_ITEMS = 200  # an import of 40,000 employees keeps the count and the first 200 rows
MAX_TEXT = 500  # longer texts are kept as their first 500 characters and their length
LABEL_LENGTH = 200
OPERATIONS = {"insert": "tambah", "update": "ubah", "delete": "hapus"}

# Columns whose change is not a user's change (counters, timestamps, optimistic-lock numbers).
NOISE = frozenset({"lock_version", "updated_at", "created_at", "computed_at"})


@dataclass(frozen=True)
class Audited:
    """How one model is audited: its name in the trail and the columns that matter."""

    name: str
    only: frozenset[str] | None = None  # audit only these columns (computed models)
    secret: frozenset[str] = frozenset()  # recorded as changed, never with the value
    ignore: frozenset[str] = frozenset()


AUDITED: dict[type, Audited] = {
    Employee: Audited("employee"),
    Unit: Audited("unit"),
    Position: Audited("position"),
    Indicator: Audited("indicator"),
    Period: Audited("period"),
    Rating: Audited("rating"),
    Skp: Audited("skp"),
    Rhk: Audited("rhk"),
    # The text is kept by the (immutable once published) row; its checksum shows a change.
    RuleSetVersion: Audited("ruleset_version", ignore=frozenset({"yaml_text"})),
    # Results are computed on every rating and at close; only a person's override is an action.
    Evaluation: Audited("evaluation", only=frozenset({"override_predicate", "override_reason"})),
    Appeal: Audited("appeal"),
    AspectLevel: Audited("aspect_level"),
    PeerAssignment: Audited("peer_assignment"),
    UnitResult: Audited("unit_result"),
    Realisation: Audited("realisation"),
    Evidence: Audited("evidence"),
    DialogEntry: Audited("dialog_entry"),
    SkpExpectation: Audited("skp_expectation"),
    User: Audited(
        "user",
        secret=frozenset({"password"}),
        ignore=frozenset(
            {
                "last_login",
                "login_count",
                "fail_login_count",
                "created_on",
                "changed_on",
                "created_by_fk",
                "changed_by_fk",
                "created_by",
                "changed_by",
            }
        ),
    ),
}

_PENDING = "kinerja.audit.pending"
_ACTION = "kinerja.audit.action"
_EVENTS = "kinerja.audit.events"

_context_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar(
    "kinerja_audit_actor", default=None
)
_actor_resolver: Callable[[], Actor | None] = lambda: None  # noqa: E731  (set by the web layer)


@dataclass
class Change:
    """One audited row's change within a transaction (merged across flushes)."""

    spec: Audited
    obj: Any
    operation: str
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    object_id: int | None = None
    label: str = ""

    def item(self) -> dict[str, Any]:
        return {
            "type": self.spec.name,
            "id": self.object_id,
            "label": self.label,
            "operation": OPERATIONS[self.operation],
            "before": self.before or None,
            "after": self.after or None,
        }


@dataclass
class Action:
    """What a service says about the transaction it is in."""

    name: str | None = None
    actor: Actor | None = None
    reason: str | None = None
    subject: Any = None
    subject_type: str | None = None
    subject_id: int | None = None
    facts: dict[str, Any] = field(default_factory=dict)


def describe(
    session: Session,
    action: str,
    actor: Actor | None = None,
    *,
    reason: str | None = None,
    subject: Any = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    facts: dict[str, Any] | None = None,
) -> None:
    """Name the user action of the current transaction; its commit writes the entry.

    `subject` is the row the action is about (an Skp, a Period); `subject_type`/`subject_id`
    name one that is not a changed row (the ratee of a rating form). `facts` are what the rows
    do not show (counts, the requested predikat).
    """
    current: Action = session.info.setdefault(_ACTION, Action())
    current.name = action
    current.actor = actor or current.actor
    current.reason = reason if reason is not None else current.reason
    if subject is not None:
        current.subject = subject
    if subject_type is not None:
        current.subject_type, current.subject_id = subject_type, subject_id
    if facts:
        current.facts.update(facts)


def record(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    label: str | None = None,
) -> AuditLog:
    """An entry the service writes itself, with its own before/after (a login, a refused
    attempt, or a snapshot other code reads back, such as the SKP as it was returned).

    When the same transaction changes audited rows, the listener adds them to this entry as
    its items instead of writing a second entry: one action, one entry.
    """
    entry = AuditLog(
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=_cut(label, LABEL_LENGTH),
        before=before,
        after=after,
        reason=reason,
    )
    session.add(entry)
    session.info.setdefault(_EVENTS, []).append(entry)
    return entry


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Attribute every write in this block to `actor` (the CLI, a worker)."""
    token = _context_actor.set(actor)
    try:
        yield
    finally:
        _context_actor.reset(token)


def set_actor_resolver(resolver: Callable[[], Actor | None]) -> None:
    """The web layer's way to say who is signed in, without services importing Flask."""
    global _actor_resolver
    _actor_resolver = resolver


def install() -> None:
    """Listen on every ORM session (idempotent: tests build many apps in one process)."""
    for name, listener in (
        ("after_flush", _after_flush),
        ("before_commit", _before_commit),
        ("after_transaction_end", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


# --- the listener --------------------------------------------------------------------------


def _after_flush(session: Session, _context: object) -> None:
    """Note what this flush wrote; history and new primary keys are both visible here."""
    pending: dict[int, Change] = session.info.setdefault(_PENDING, {})
    for operation, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            spec = AUDITED.get(type(obj))
            if spec is None:
                continue
            before, after = _difference(obj, spec, operation)
            if operation == "update" and not before and not after:
                continue
            if operation == "insert" and spec.only is not None and not after:
                continue  # a computed result, not a person's decision
            change = Change(spec, obj, operation, before, after, _identity(obj), _label(obj))
            _merge(pending, change)


def _merge(pending: dict[int, Change], change: Change) -> None:
    """Several flushes of one transaction touch a row: keep the first before, the last after."""
    known = pending.get(id(change.obj))
    if known is None:
        pending[id(change.obj)] = change
        return
    if change.operation == "delete":
        if known.operation == "insert":
            del pending[id(change.obj)]  # added and removed in one action: nothing happened
            return
        known.operation = "delete"
        known.after = {}
        return
    for key, value in change.before.items():
        known.before.setdefault(key, value)
    known.after.update(change.after)
    known.label = change.label


def _before_commit(session: Session) -> None:
    """Flush first (commit would do it right after this event), so that the notes are complete
    and new rows have their ids; then add the entry, which commit's own flush writes."""
    session.flush()
    pending: dict[int, Change] = session.info.pop(_PENDING, {})
    action: Action | None = session.info.pop(_ACTION, None)
    events: list[AuditLog] = session.info.pop(_EVENTS, [])
    changes = [c for c in pending.values() if c.operation != "update" or c.before != c.after]
    if not changes:
        return  # a named action that changed nothing (a form saved unchanged) leaves no entry
    if events:
        _attach(events[0], changes)
        return
    session.add(_entry(changes, action or Action()))


def _attach(entry: AuditLog, changes: list[Change]) -> None:
    """The service's own entry takes the rows its action changed: its object's row fills
    what the service left empty, the others become its items."""
    own = next(
        (c for c in changes if c.spec.name == entry.object_type and c.object_id == entry.object_id),
        None,
    )
    if own is not None:
        entry.object_label = entry.object_label or _cut(own.label, LABEL_LENGTH)
        if entry.before is None and entry.after is None:
            entry.before, entry.after = own.before or None, own.after or None
    others = [c for c in changes if c is not own]
    if others:
        entry.items = [c.item() for c in others[:MAX_ITEMS]]
        entry.item_count = len(others)


def _forget(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ends without commit (rollback, close) leaves nothing to write."""
    if transaction.parent is not None or transaction.nested:
        return
    session.info.pop(_PENDING, None)
    session.info.pop(_ACTION, None)
    session.info.pop(_EVENTS, None)


def _entry(changes: list[Change], action: Action) -> AuditLog:
    actor = _context_actor.get() or action.actor or _actor_resolver()
    subject = _subject(changes, action)
    others = [c for c in changes if subject is None or c.obj is not subject.obj]
    if subject is not None:
        object_type, object_id, label = subject.spec.name, subject.object_id, subject.label
        before, after = subject.before or None, dict(subject.after)
        name = action.name or f"{subject.spec.name}.{OPERATIONS[subject.operation]}"
    elif action.subject_type is not None:
        object_type, object_id, label = action.subject_type, action.subject_id, None
        before, after = None, {}
        name = action.name or f"{object_type}.ubah"
    elif action.subject is not None:
        spec = AUDITED.get(type(action.subject))
        object_type = spec.name if spec else type(action.subject).__name__.lower()
        object_id, label = _identity(action.subject), _label(action.subject)
        before, after = None, {}
        name = action.name or f"{object_type}.ubah"
    else:  # several rows of one or more kinds, none named: a batch
        kinds = sorted({c.spec.name for c in changes})
        object_type, object_id = ("+".join(kinds) if kinds else "sistem"), None
        label = f"{len(changes)} baris"
        before, after = None, {}
        operations = {c.operation for c in changes}
        name = action.name or (
            f"{kinds[0]}.{OPERATIONS[operations.pop()]}"
            if len(kinds) == 1 and len(operations) == 1
            else "perubahan"
        )
    after.update(action.facts)
    items = [c.item() for c in others[:MAX_ITEMS]]
    return AuditLog(
        user_id=actor.user_id if actor else None,
        username=actor.username if actor else "sistem",
        action=name[:64],
        object_type=object_type[:64],
        object_id=object_id,
        object_label=_cut(label, LABEL_LENGTH),
        before=before,
        after=after or None,
        items=items or None,
        item_count=len(others) or None,
        reason=action.reason,
    )


def _subject(changes: list[Change], action: Action) -> Change | None:
    """The changed row the entry is about: the named one, else the only one."""
    if action.subject is not None:
        return next((c for c in changes if c.obj is action.subject), None)
    if action.subject_type is not None:
        return None
    return changes[0] if len(changes) == 1 else None


# --- reading one row's change --------------------------------------------------------------


def _difference(obj: Any, spec: Audited, operation: str) -> tuple[dict, dict]:
    """(before, after) of the columns that count; many-to-one links also by their label."""
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in NOISE or key in spec.ignore or (spec.only is not None and key not in spec.only):
            continue
        if key == "id":
            continue
        history = state.attrs[key].history
        if operation == "insert":
            value = state.dict.get(key)
            if value is not None:
                after[key] = _value(key, value, spec)
        elif operation == "delete":
            value = state.dict.get(key)
            if value is not None:
                before[key] = _value(key, value, spec)
        elif history.added or history.deleted:
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                before[key] = _value(key, old, spec)
                after[key] = _value(key, new, spec)
    if operation != "delete":
        for rel in state.mapper.relationships:
            if rel.key in spec.ignore or (spec.only is not None and rel.key not in spec.only):
                continue
            history = state.attrs[rel.key].history
            if not (history.added or history.deleted):
                continue
            if rel.uselist and rel.secondary is not None:  # a many-to-many, e.g. a user's roles
                before[rel.key] = sorted(_label(o) for o in history.deleted)
                after[rel.key] = sorted(_label(o) for o in history.added)
            elif not rel.uselist and _is_link(rel):
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                if old is not new:
                    if operation == "update":
                        before[rel.key] = _label(old) if old is not None else None
                    after[rel.key] = _label(new) if new is not None else None
    return before, after


def _is_link(rel: Any) -> bool:
    """A many-to-one link whose label helps a reader (the supervisor, the unit)."""
    return rel.direction.name == "MANYTOONE" and rel.mapper.class_ in AUDITED


def _value(key: str, value: Any, spec: Audited) -> Any:
    if key in spec.secret:
        return "(diubah)" if value not in (None, NO_VALUE) else None
    if value is NO_VALUE:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return f"{value[:MAX_TEXT]}… ({len(value)} karakter)"
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _identity(obj: Any) -> int | None:
    """The row's integer primary key (read from the object: in `after_flush` a new row has its
    id but not yet its identity key)."""
    state = inspect(obj)
    values = [state.dict.get(column.key) for column in state.mapper.primary_key]
    if len(values) == 1 and isinstance(values[0], int):
        return values[0]
    return None


def _label(obj: Any) -> str:
    """A reader's name for a row: its own text when the model has one, else type and id."""
    if obj is None:
        return ""
    if isinstance(obj, User):
        return obj.username or f"user #{_identity(obj)}"
    if type(obj).__repr__ is not object.__repr__:
        try:
            return _cut(repr(obj), LABEL_LENGTH) or ""
        except Exception:  # noqa: BLE001  (a label must never break a commit)
            pass
    spec = AUDITED.get(type(obj))
    return f"{spec.name if spec else type(obj).__name__} #{_identity(obj)}"


def _cut(text: str | None, length: int) -> str | None:
    return text[:length] if text else text
