"""Charts drawn on the server as SVG: no chart library, nothing fetched from the internet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from markupsafe import Markup

BAR_COLOURS = {
    "sangat_baik": "#2e7d32",
    "baik": "#66bb6a",
    "butuh_perbaikan": "#fbc02d",
    "kurang": "#ef6c00",
    "sangat_kurang": "#c62828",
}


def distribution_svg(
    counts: Mapping[str, int],
    order: Sequence[str],
    labels: Mapping[str, str],
    width: int = 360,
    bar_height: int = 22,
) -> Markup:
    """Horizontal bars: each predicate's share of the unit, with its count."""
    total = sum(counts.values())
    label_width, gap = 130, 6
    height = len(order) * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="Distribusi predikat">'
    ]
    for row, key in enumerate(order):
        y = gap + row * (bar_height + gap)
        count = counts.get(key, 0)
        share = count / total if total else 0.0
        bar = int((width - label_width - 60) * share)
        parts.append(
            f'<text x="0" y="{y + bar_height - 6}" font-size="12">'
            f"{escape(labels.get(key, key))}</text>"
            f'<rect x="{label_width}" y="{y}" width="{bar}" height="{bar_height}" '
            f'fill="{BAR_COLOURS.get(key, "#607d8b")}"/>'
            f'<text x="{label_width + bar + 4}" y="{y + bar_height - 6}" font-size="12">'
            f"{count} ({share:.0%})</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
