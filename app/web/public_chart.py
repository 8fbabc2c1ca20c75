"""The public page's predikat distribution as server-side SVG, with masked small groups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from markupsafe import Markup

from app.web.charts import BAR_COLOURS


def masked_distribution_svg(
    cells: Mapping[str, int | None],
    order: Sequence[str],
    labels: Mapping[str, str],
    min_group: int,
    width: int = 360,
    bar_height: int = 20,
) -> Markup:
    """Horizontal bars of the shown counts; a masked cell (None) is drawn as a hatched stub
    labelled "< min_group", so its size cannot be read off the bar either."""
    shown_total = sum(v for v in cells.values() if v)
    label_width, gap, bar_room = 130, 6, width - 130 - 70
    height = len(order) * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'role="img" aria-label="Distribusi predikat" font-family="sans-serif">'
        '<defs><pattern id="samar" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="3" height="6" fill="#bdbdbd"/></pattern>'
        "</defs>"
    ]
    for row, key in enumerate(order):
        y = gap + row * (bar_height + gap)
        value = cells.get(key)
        parts.append(
            f'<text x="0" y="{y + bar_height - 6}" font-size="12">'
            f"{escape(labels.get(key, key))}</text>"
        )
        if value is None:
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="14" height="{bar_height}" '
                f'fill="url(#samar)"/><text x="{label_width + 18}" y="{y + bar_height - 6}" '
                f'font-size="12">&lt; {min_group}</text>'
            )
            continue
        bar = int(bar_room * value / shown_total) if shown_total else 0
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{bar}" height="{bar_height}" '
            f'fill="{BAR_COLOURS.get(key, "#607d8b")}"/>'
            f'<text x="{label_width + bar + 4}" y="{y + bar_height - 6}" font-size="12">'
            f"{value}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
