"""Every section of a ruleset text edited in place, for the forms of officers who do not write YAML.

The forms (matrix, level rules, awards, training, allowance, distribution, angka kredit) change
values, add, remove and reorder rules; the new draft must differ from its parent only there, so
that comments, blank lines, key order and quoting stay and the diff shows exactly what was
decided. As in `yaml_edit`, the text is composed once with PyYAML for each node's character span
and only those spans are rewritten; a change written by hand in the YAML editor the same way gives
the same text. Values are written the way the shipped ruleset writes them (plain numbers and
codes, one-line conditions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from app.services.authoring.yaml_edit import compose, format_number
from app.services.errors import InvalidInput

_PLAIN_TEXT = re.compile(r"^[A-Za-z][A-Za-z0-9 _.'()/-]*[A-Za-z0-9.)]$|^[A-Za-z]$")


@dataclass(frozen=True)
class Scalar:
    """One plain value in the text: `path` joins keys and list positions with dots."""

    path: str
    value: str
    number: float | None
    start: int
    end: int
    keys: tuple[str, ...] = ()  # the path's parts (keys may themselves contain dots)


@dataclass(frozen=True)
class Item:
    """One entry of a block list: its span, from its first line (with the comments directly
    above it) to the end of its last line."""

    index: int
    start: int
    end: int
    indent: int
    node: yaml.Node


def _number(node: yaml.ScalarNode) -> float | None:
    if node.style or node.tag not in (
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
    ):
        return None
    try:
        return float(node.value.replace("_", ""))
    except ValueError:
        return None


def find(text: str, path: str) -> yaml.Node | None:
    """The node at a dotted path (keys and list positions), or None."""
    node = compose(text)
    for part in path.split(".") if path else []:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
        else:
            return None
    return node


def scalars(text: str, under: str = "") -> dict[str, Scalar]:
    """Every plain scalar below `under`, by path, in file order."""
    out: dict[str, Scalar] = {}

    def walk(node: yaml.Node | None, keys: tuple[str, ...]) -> None:
        if isinstance(node, yaml.ScalarNode):
            path = ".".join(keys)
            out[path] = Scalar(
                path, node.value, _number(node), node.start_mark.index, node.end_mark.index, keys
            )
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*keys, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                walk(value, (*keys, str(i)))

    walk(find(text, under), tuple(under.split(".")) if under else ())
    return out


def quote(value: Any) -> str:
    """A value as the rule language writes it: numbers plainly, codes and names unquoted when
    YAML reads them back as the same text, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(value)
    text = str(value)
    if _PLAIN_TEXT.match(text) and yaml.safe_load(text) == text and ": " not in text:
        return text
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=10_000).strip()


def with_scalars(text: str, new_values: dict[str, Any], under: str = "") -> str:
    """The text with the scalars at the given paths replaced, every other character kept.

    An unknown path is refused so that a stale form cannot silently drop a change; a value that
    equals the current one is left as written (so `0.70` stays `0.70`)."""
    found = scalars(text, under)
    unknown = sorted(set(new_values) - set(found))
    if unknown:
        raise InvalidInput("Isian formulir tidak lagi cocok dengan aturan ini; muat ulang halaman.")
    out, cursor = [], 0
    for scalar in sorted(found.values(), key=lambda s: s.start):
        if scalar.path not in new_values:
            continue
        new = new_values[scalar.path]
        if isinstance(new, int | float) and not isinstance(new, bool):
            if scalar.number is not None and scalar.number == float(new):
                continue
        elif str(new) == scalar.value:
            continue
        out.append(text[cursor : scalar.start])
        out.append(quote(new))
        cursor = scalar.end
    out.append(text[cursor:])
    return "".join(out)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _content_end(text: str, start: int, end: int) -> int:
    """The end of the last line in [start, end) that is not blank or a comment, newline included."""
    lines = text[start:end].split("\n")
    keep = len(lines)
    while keep > 1 and (not lines[keep - 1].strip() or lines[keep - 1].lstrip().startswith("#")):
        keep -= 1
    cut = start + len("\n".join(lines[:keep]))
    return min(len(text), cut + 1) if cut < len(text) and text[cut] == "\n" else cut


def items(text: str, path: str) -> list[Item]:
    """The entries of the block list at `path` (empty when it is missing or written inline)."""
    node = find(text, path)
    if not isinstance(node, yaml.SequenceNode) or node.flow_style:
        return []
    out: list[Item] = []
    previous_end = node.start_mark.index
    for i, child in enumerate(node.value):
        dash = _line_start(text, child.start_mark.index)
        start = dash
        while start > previous_end:  # comment lines directly above belong to the entry
            above = _line_start(text, start - 1)
            if not text[above:start].lstrip().startswith("#") or above < previous_end:
                break
            start = above
        start = max(start, _line_start(text, previous_end) if i == 0 else previous_end)
        nxt = node.value[i + 1].start_mark.index if i + 1 < len(node.value) else node.end_mark.index
        end = _content_end(text, child.start_mark.index, _line_start(text, nxt))
        indent = text.index("-", dash) - dash
        out.append(Item(i, start, end, indent, child))
        previous_end = end
    return out


def _item(text: str, path: str, index: int) -> tuple[list[Item], Item]:
    entries = items(text, path)
    if not 0 <= index < len(entries):
        raise InvalidInput("Aturan itu tidak ada lagi; muat ulang halaman.")
    return entries, entries[index]


def remove_item(text: str, path: str, index: int) -> str:
    """The text without one entry of a list (and the comment lines directly above it)."""
    entries, entry = _item(text, path, index)
    if len(entries) == 1:
        raise InvalidInput("Aturan terakhir tidak dapat dihapus; daftar tidak boleh kosong.")
    return text[: entry.start] + text[entry.end :]


def move_item(text: str, path: str, index: int, step: int) -> str:
    """The text with an entry swapped with its neighbour (`step` -1 up, +1 down)."""
    entries, entry = _item(text, path, index)
    other = index + step
    if not 0 <= other < len(entries):
        raise InvalidInput("Aturan itu sudah di ujung daftar.")
    first, second = sorted((entry, entries[other]), key=lambda e: e.start)
    return (
        text[: first.start]
        + text[second.start : second.end]
        + text[first.end : second.start]
        + text[first.start : first.end]
        + text[second.end :]
    )


def entry_text(fields: list[tuple[str, str]], indent: int, flow: bool = False) -> str:
    """A new list entry in block style: `- key: value` then the other keys under it; `flow`:
    on one line, `- {key: value, ...}`, as lists of one-line entries (the TPP bands) are
    written."""
    pad = " " * indent
    if flow:
        return f"{pad}- {{" + ", ".join(f"{key}: {value}" for key, value in fields) + "}\n"
    lines = [f"{pad}- {fields[0][0]}: {fields[0][1]}"]
    lines += [f"{pad}  {key}: {value}" for key, value in fields[1:]]
    return "\n".join(lines) + "\n"


def insert_item(text: str, path: str, fields: list[tuple[str, str]], position: int) -> str:
    """The text with a new entry at `position` of the list at `path` (its end when past it),
    written one-line when the list's entries are."""
    entries = items(text, path)
    if not entries:
        raise InvalidInput("Daftar ini belum ada dalam aturan; tambahkan lewat penyunting YAML.")
    position = max(0, min(position, len(entries)))
    if position < len(entries):
        at = entries[position].start
    else:
        at = entries[-1].end
    flow = all(isinstance(e.node, yaml.MappingNode) and e.node.flow_style for e in entries)
    new = entry_text(fields, entries[0].indent, flow)
    if at > 0 and text[at - 1] != "\n":
        new = "\n" + new
    return text[:at] + new + text[at:]


def replace_value(text: str, path: str, key: str, new: str) -> str:
    """The text with the value of `key` in the mapping at `path` written as `new` on the key's
    line (a multi-line block value is replaced by the one-line form)."""
    node = find(text, path)
    if not isinstance(node, yaml.MappingNode):
        raise InvalidInput("Aturan itu tidak ada lagi; muat ulang halaman.")
    for i, (k, v) in enumerate(node.value):
        if k.value != key:
            continue
        if isinstance(v, yaml.ScalarNode) or v.flow_style:
            return text[: v.start_mark.index] + new + text[v.end_mark.index :]
        nxt = node.value[i + 1][0].start_mark.index if i + 1 < len(node.value) else v.end_mark.index
        end = _content_end(text, v.start_mark.index, _line_start(text, nxt))
        tail = "\n" if end > 0 and text[end - 1] == "\n" else ""
        return text[: k.end_mark.index] + f": {new}{tail}" + text[end:]
    raise InvalidInput(f"Aturan itu tidak memiliki '{key}'.")
