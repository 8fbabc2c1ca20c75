"""The weights of a ruleset text, read and rewritten in place.

Policy officers who do not want to touch YAML change weights in a form; the new draft must differ
from its parent only in those numbers, so that the diff shows exactly what was decided and every
comment, blank line and key order stays. A round-trip YAML library would re-emit the document (and
reformat flow mappings and quoting); instead the text is composed once with PyYAML, which gives
each number's exact character span, and only those spans are replaced.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import yaml

from app.engine import load_located
from app.services.errors import InvalidInput

RATERS_KEY = "raters"
ASPECTS_KEY = "aspects"


@dataclass(frozen=True)
class Weight:
    """One editable number: `key` is `raters.<kind>` or `aspects.<aspect>.<CODE>`."""

    key: str
    group: str  # "raters" or the aspect's name
    name: str  # the rater kind or the indicator code
    value: float
    start: int  # character offsets of the scalar in the text
    end: int

    @property
    def shown(self) -> str:
        return format_number(self.value)


def format_number(value: float) -> str:
    """Whole numbers without a decimal point (70, not 70.0), as officers write them."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


# libyaml gives the same nodes and character spans as PyYAML's pure-Python loader, about ten
# times faster (the rule forms compose the text several times a page); plain scalars have
# style "" there and None in the pure loader, so plainness is tested by truth.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str) -> yaml.Node | None:
    """The node tree of a ruleset text with each node's character span (None: empty). A text
    that does not parse is refused with the engine's located Indonesian message."""
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        _document, issues = load_located(text)
        where = f" Baris {issues[0].line}, kolom {issues[0].col}: {issues[0].message}"
        raise InvalidInput("YAML tidak dapat dibaca." + (where if issues else "")) from None


def _mapping_items(node: yaml.Node | None) -> list[tuple[yaml.Node, yaml.Node]]:
    """The key and value nodes of a mapping; none for anything else (None: an empty document)."""
    return list(node.value) if isinstance(node, yaml.MappingNode) else []


def _number(node: yaml.Node) -> float | None:
    if not isinstance(node, yaml.ScalarNode) or node.style:
        return None  # quoted text is not a number an officer typed
    if node.tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        return None
    try:
        value = float(node.value.replace("_", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _weight(group: str, key: str, name: str, node: yaml.Node) -> Weight | None:
    value = _number(node)
    if value is None:
        return None
    return Weight(key, group, name, value, node.start_mark.index, node.end_mark.index)


def read_weights(text: str) -> list[Weight]:
    """The rater weights and the indicator weights written as numbers, in file order.

    Only numbers already in the text are offered: adding a rater kind or turning an indicator
    list into a weighted mapping changes the structure, which is the YAML editor's job. The
    caller has checked the text against the size and depth limits first.
    """
    root = compose(text)
    weights: list[Weight] = []
    for key_node, value_node in _mapping_items(root):
        if key_node.value == RATERS_KEY:
            for kind, number in _mapping_items(value_node):
                found = _weight(RATERS_KEY, f"{RATERS_KEY}.{kind.value}", kind.value, number)
                if found:
                    weights.append(found)
        elif key_node.value == ASPECTS_KEY:
            for aspect, spec in _mapping_items(value_node):
                for field, indicators in _mapping_items(spec):
                    if field.value != "indicators":
                        continue
                    for code, number in _mapping_items(indicators):
                        key = f"{ASPECTS_KEY}.{aspect.value}.{code.value}"
                        found = _weight(aspect.value, key, code.value, number)
                        if found:
                            weights.append(found)
    return weights


def parse_weight(raw: str, label: str) -> float:
    """A number typed in the form; refuses text, negatives and non-finite values."""
    try:
        value = float(raw.strip().replace(",", "."))
    except (ValueError, AttributeError):
        raise InvalidInput(f"Bobot {label} harus berupa angka.", field=label) from None
    if not math.isfinite(value) or value < 0:
        raise InvalidInput(f"Bobot {label} harus angka 0 atau lebih.", field=label)
    return value


def with_weights(text: str, new_values: dict[str, float]) -> str:
    """The text with the given weights replaced, every other character unchanged.

    `new_values` maps weight keys (see `Weight.key`) to numbers; an unknown key is refused so
    that a stale form cannot silently drop a change.
    """
    weights = {weight.key: weight for weight in read_weights(text)}
    unknown = sorted(set(new_values) - set(weights))
    if unknown:
        raise InvalidInput(f"Bobot tidak dikenal dalam aturan ini: {', '.join(unknown)}.")
    out, cursor = [], 0
    for weight in sorted(weights.values(), key=lambda w: w.start):
        if weight.key not in new_values or new_values[weight.key] == weight.value:
            continue
        out.append(text[cursor : weight.start])
        out.append(format_number(new_values[weight.key]))
        cursor = weight.end
    out.append(text[cursor:])
    return "".join(out)
