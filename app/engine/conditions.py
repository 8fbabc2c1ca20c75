"""Conditions: parsing the YAML form, rendering it in Indonesian, and listing what it reads.

A condition is a mapping of fact paths to a value or an operator map, combined with `all`, `any`
and `not`. Parsing checks every path and every constant against the fact's type, so that a
compiled condition never compares a number with a text (durable-rules would answer nonsense).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.engine.errors import Issue
from app.engine.loader import LList, LMap
from app.engine.model import ALWAYS, AllOf, AnyOf, Atom, Cond, FactType, NotOf

OPERATORS: tuple[str, ...] = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in")
_ORDERING = {"gt", "gte", "lt", "lte"}
_WORDS = {
    "eq": "=",
    "ne": "≠",
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
    "in": "salah satu dari",
    "not_in": "bukan salah satu dari",
}

# Resolves a path written in a condition to (full path, type) or an Indonesian reason it is unknown.
Resolver = Callable[[str], "tuple[str, FactType] | str"]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class ConditionParser:
    """Parses conditions for one context (a stage, maybe an aspect); collects issues."""

    def __init__(self, resolve: Resolver, issues: list[Issue]) -> None:
        self.resolve = resolve
        self.issues = issues

    def parse(self, node: Any, mark: tuple[int, int]) -> Cond:
        """Parse a condition mapping; on errors, report and return a condition that never holds."""
        if not isinstance(node, LMap) or not node:
            self._issue(mark, "Kondisi harus berupa pemetaan yang tidak kosong.")
            return ALWAYS
        parts: list[Cond] = []
        for key, value in node.items():
            key_mark = node.key_marks[key]
            value_mark = node.value_marks[key]
            if key in ("all", "any"):
                if not isinstance(value, LList) or not value:
                    self._issue(
                        value_mark, f"'{key}' harus berupa daftar kondisi yang tidak kosong."
                    )
                    continue
                items = tuple(
                    self.parse(v, m) for v, m in zip(value, value.item_marks, strict=True)
                )
                parts.append(AllOf(items) if key == "all" else AnyOf(items))
            elif key == "not":
                parts.append(NotOf(self.parse(value, value_mark)))
            else:
                parts.extend(self._atoms(key, key_mark, value, value_mark))
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def _atoms(
        self, key: str, key_mark: tuple[int, int], value: Any, value_mark: tuple[int, int]
    ) -> list[Atom]:
        resolved = self.resolve(key)
        if isinstance(resolved, str):
            self._issue(key_mark, resolved)
            return []
        path, ftype = resolved
        if isinstance(value, LMap):
            if not value:
                self._issue(value_mark, f"Operator untuk '{key}' kosong.")
            atoms = []
            for op, constant in value.items():
                op_mark = value.key_marks[op]
                if op not in OPERATORS:
                    self._issue(
                        op_mark,
                        f"Operator '{op}' tidak dikenal; gunakan salah satu: "
                        f"{', '.join(OPERATORS)}.",
                    )
                    continue
                atom = self._atom(path, ftype, op, constant, value.value_marks[op])
                if atom:
                    atoms.append(atom)
            return atoms
        atom = self._atom(path, ftype, "eq", value, value_mark)
        return [atom] if atom else []

    def _atom(
        self, path: str, ftype: FactType, op: str, constant: Any, mark: tuple[int, int]
    ) -> Atom | None:
        if op in ("in", "not_in"):
            if not isinstance(constant, LList) or not constant:
                self._issue(mark, f"'{op}' membutuhkan daftar nilai yang tidak kosong.")
                return None
            encoded = []
            for item, item_mark in zip(constant, constant.item_marks, strict=True):
                one = self._constant(path, ftype, op, item, item_mark)
                if one is None:
                    return None
                encoded.append(one)
            return Atom(path, op, tuple(encoded), tuple(constant))
        encoded_one = self._constant(path, ftype, op, constant, mark)
        if encoded_one is None:
            return None
        return Atom(path, op, encoded_one, constant)

    def _constant(
        self, path: str, ftype: FactType, op: str, constant: Any, mark: tuple[int, int]
    ) -> Any:
        if isinstance(constant, LMap | LList):
            self._issue(mark, f"Nilai untuk '{path}' harus berupa nilai tunggal.")
            return None
        if ftype.kind == "level":
            if constant not in ftype.levels:
                self._issue(
                    mark,
                    f"Nilai '{constant}' tidak dikenal untuk '{path}'; "
                    f"pilihan: {', '.join(ftype.levels)}.",
                )
                return None
        elif ftype.kind == "number":
            if not _is_number(constant):
                self._issue(mark, f"'{path}' adalah angka; '{constant}' bukan angka.")
                return None
        elif ftype.kind == "bool":
            if not isinstance(constant, bool):
                self._issue(mark, f"'{path}' bernilai true/false; '{constant}' tidak sesuai.")
                return None
            if op not in ("eq", "ne"):
                self._issue(mark, f"Operator '{op}' tidak berlaku untuk '{path}' (true/false).")
                return None
        else:
            if not isinstance(constant, str):
                self._issue(mark, f"'{path}' berupa teks; tulis nilainya sebagai teks.")
                return None
            if ftype.levels and constant not in ftype.levels:
                self._issue(
                    mark,
                    f"Nilai '{constant}' tidak dikenal untuk '{path}'; "
                    f"pilihan: {', '.join(ftype.levels)}.",
                )
                return None
            if op in _ORDERING:
                self._issue(mark, f"Operator '{op}' tidak berlaku untuk teks '{path}'.")
                return None
        return ftype.encode(constant)

    def _issue(self, mark: tuple[int, int], message: str) -> None:
        self.issues.append(Issue(mark[0], mark[1], message))


def paths_of(cond: Cond) -> list[str]:
    """The fact paths a condition reads, in first-use order."""
    seen: dict[str, None] = {}

    def walk(c: Cond) -> None:
        if isinstance(c, Atom):
            seen.setdefault(c.path, None)
        elif isinstance(c, NotOf):
            walk(c.item)
        else:
            for item in c.items:
                walk(item)

    walk(cond)
    return list(seen)


def constants_of(cond: Cond) -> dict[str, set[Any]]:
    """Every encoded constant compared with each path: the borders of its decision intervals."""
    out: dict[str, set[Any]] = {}

    def walk(c: Cond) -> None:
        if isinstance(c, Atom):
            values = c.value if c.op in ("in", "not_in") else (c.value,)
            out.setdefault(c.path, set()).update(values)
        elif isinstance(c, NotOf):
            walk(c.item)
        else:
            for item in c.items:
                walk(item)

    walk(cond)
    return out


def as_tree(cond: Cond) -> dict[str, Any]:
    """The condition as plain data for explanations: `{"all": [...]}`, `{"any": [...]}`,
    `{"not": {...}}` or `{"fact": path, "op": op, "value": constant}` with the constant as the
    YAML wrote it (a list for `in`/`not_in`); `{"all": []}` always holds."""
    if isinstance(cond, Atom):
        value = list(cond.shown) if isinstance(cond.shown, tuple) else cond.shown
        return {"fact": cond.path, "op": cond.op, "value": value}
    if isinstance(cond, NotOf):
        return {"not": as_tree(cond.item)}
    return {"all" if isinstance(cond, AllOf) else "any": [as_tree(c) for c in cond.items]}


def render(cond: Cond) -> str:
    """The condition in plain Indonesian, e.g. `hasil_kerja.score ≥ 2,5 dan predicate = baik`."""
    if isinstance(cond, Atom):
        shown = cond.shown
        if isinstance(shown, tuple):
            shown = "(" + ", ".join(_show(v) for v in shown) + ")"
        else:
            shown = _show(shown)
        return f"{cond.path} {_WORDS[cond.op]} {shown}"
    if isinstance(cond, NotOf):
        return f"tidak ({render(cond.item)})"
    if not cond.items:
        return "selalu"
    joiner = " dan " if isinstance(cond, AllOf) else " atau "
    inner = joiner.join(
        f"({render(c)})" if isinstance(c, AllOf | AnyOf) and c.items else render(c)
        for c in cond.items
    )
    return inner


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)
