"""Safe YAML loading that keeps every key's and value's line and column.

PyYAML's `safe_load` forgets positions and silently keeps the last of two duplicate keys. Policy
officers need both: a message pointing at the exact place, and a duplicate predikat cell reported
instead of quietly winning. So the text is composed into PyYAML's node tree (no object construction
beyond plain scalars) and converted into `LMap`/`LList` containers that remember marks. Limits on
size, depth, node count and aliases stop "billion laughs" documents before they cost memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from app.engine.errors import Issue
from app.engine.yaml_errors import syntax_issue

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class Limits:
    """Bounds on a ruleset document; generous for real rulesets, tight for hostile ones."""

    max_bytes: int = 1_048_576
    max_depth: int = 40
    max_nodes: int = 100_000
    max_aliases: int = 50


DEFAULT_LIMITS = Limits()


class LMap(dict[str, Any]):
    """A mapping that remembers where it, each key and each value stand in the text."""

    mark: tuple[int, int]
    key_marks: dict[str, tuple[int, int]]
    value_marks: dict[str, tuple[int, int]]


class LList(list[Any]):
    """A list that remembers where it and each item stand in the text."""

    mark: tuple[int, int]
    item_marks: list[tuple[int, int]]


class _LimitExceeded(Exception):
    def __init__(self, issue: Issue) -> None:
        self.issue = issue


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _event_mark(event: yaml.Event) -> tuple[int, int]:
    """Where an event starts; the parser gives each one a mark (only events built by hand lack
    it)."""
    mark = event.start_mark
    if mark is None:
        raise ValueError(f"YAML event without a position: {event!r}")
    return mark.line + 1, mark.column + 1


class _Converter:
    """Turns a composed node tree into located containers, collecting issues as it goes."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.nodes = 0
        self.issues: list[Issue] = []
        self._scalars = yaml.SafeLoader("")

    def convert(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        line, col = _mark(node)
        if self.nodes > self.limits.max_nodes:
            raise _LimitExceeded(
                Issue(
                    line, col, f"Dokumen terlalu besar: lebih dari {self.limits.max_nodes} simpul."
                )
            )
        if depth > self.limits.max_depth:
            raise _LimitExceeded(
                Issue(
                    line, col, f"Dokumen terlalu dalam: lebih dari {self.limits.max_depth} tingkat."
                )
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self.issues.append(Issue(line, col, f"Tag YAML tidak diizinkan: {node.tag}."))
            out = LList()
            out.mark = (line, col)
            out.item_marks = []
            for item in node.value:
                out.append(self.convert(item, depth + 1))
                out.item_marks.append(_mark(item))
            return out
        if node.tag == "tag:yaml.org,2002:timestamp":
            return str(node.value)
        if node.tag not in _PLAIN_TAGS:
            self.issues.append(Issue(line, col, f"Tag YAML tidak diizinkan: {node.tag}."))
            return str(node.value)
        try:
            return self._scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            self.issues.append(Issue(line, col, f"Nilai tidak dapat dibaca: {node.value!r}."))
            return str(node.value)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> LMap:
        line, col = _mark(node)
        if node.tag != _MAP_TAG:
            self.issues.append(Issue(line, col, f"Tag YAML tidak diizinkan: {node.tag}."))
        out = LMap()
        out.mark = (line, col)
        out.key_marks = {}
        out.value_marks = {}
        for key_node, value_node in node.value:
            kline, kcol = _mark(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.issues.append(Issue(kline, kcol, "Kunci harus berupa teks sederhana."))
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.issues.append(Issue(kline, kcol, "Kunci gabungan '<<' tidak diizinkan."))
                continue
            key = self.convert(key_node, depth + 1)
            if isinstance(key, bool) or key is None:
                key = str(key_node.value)
            key = str(key)
            if key in out:
                first = out.key_marks[key]
                self.issues.append(
                    Issue(kline, kcol, f"Kunci '{key}' ganda (pertama di baris {first[0]}).")
                )
                continue
            out[key] = self.convert(value_node, depth + 1)
            out.key_marks[key] = (kline, kcol)
            out.value_marks[key] = _mark(value_node)
        return out


def _prescan(text: str, limits: Limits, loader: type) -> Issue | None:
    """Check depth and aliases on the flat event stream, before anything is built recursively."""
    aliases = depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.max_depth:
                line, col = _event_mark(event)
                return Issue(
                    line, col, f"Dokumen terlalu dalam: lebih dari {limits.max_depth} tingkat."
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > limits.max_aliases:
                line, col = _event_mark(event)
                return Issue(
                    line, col, f"Terlalu banyak alias YAML (maksimal {limits.max_aliases})."
                )
    return None


def load_located(text: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, list[Issue]]:
    """Parse `text` into located containers; returns (document or None, issues).

    Syntax errors, limit breaches, forbidden tags and duplicate keys become issues; nothing raises
    except programming errors.
    """
    size = len(text.encode("utf-8", errors="replace"))
    if size > limits.max_bytes:
        return None, [
            Issue(1, 1, f"Berkas terlalu besar: {size} bita (maksimal {limits.max_bytes}).")
        ]
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
        early = _prescan(text, limits, loader)
        if early:
            return None, [early]
        nodes = list(yaml.compose_all(text, Loader=loader))
    except yaml.YAMLError as exc:
        return None, [syntax_issue(exc, text, loader)]
    except RecursionError:
        return None, [Issue(1, 1, "Dokumen terlalu dalam.")]
    if not nodes:
        return None, [Issue(1, 1, "Dokumen kosong.")]
    if len(nodes) > 1:
        line, col = _mark(nodes[1])
        return None, [Issue(line, col, "Hanya satu dokumen YAML yang diizinkan per berkas.")]
    converter = _Converter(limits)
    try:
        document = converter.convert(nodes[0], 0)
    except _LimitExceeded as exc:
        return None, [exc.issue]
    except RecursionError:
        return None, [Issue(1, 1, "Dokumen terlalu dalam.")]
    return document, converter.issues
