"""The employee's predikat over periods, drawn on the server as SVG (nothing fetched online)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from app.domain.enums import PREDICATES, label
from app.services.reports.dashboard import PREDICATE_RANK, HistoryPoint
from app.web.charts import BAR_COLOURS


def history_svg(points: Sequence[HistoryPoint], width: int = 640, height: int = 240) -> Markup:
    """A line through each period's final predikat; the y axis is the five predikat."""
    left, right, top, bottom = 130, 20, 16, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    levels = len(PREDICATES)

    def y_of(rank: int) -> float:
        return top + plot_h - (rank - 1) * plot_h / (levels - 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Riwayat predikat kinerja" '
        f'font-family="sans-serif">'
    ]
    for predicate in PREDICATES:
        grid_y = y_of(PREDICATE_RANK[predicate])
        parts.append(
            f'<line x1="{left}" y1="{grid_y:.1f}" x2="{width - right}" y2="{grid_y:.1f}" '
            f'stroke="#e0e0e0"/><text x="{left - 8}" y="{grid_y + 4:.1f}" font-size="12" '
            f'text-anchor="end">{escape(label(predicate))}</text>'
        )
    if not points:
        parts.append(
            f'<text x="{left + plot_w / 2:.0f}" y="{top + plot_h / 2:.0f}" font-size="13" '
            f'text-anchor="middle" fill="#777">Belum ada riwayat</text></svg>'
        )
        return Markup("".join(parts))
    step = plot_w / max(len(points), 1)
    coordinates: list[tuple[float, float | None]] = []
    for index, point in enumerate(points):
        x = left + step * (index + 0.5)
        rank = PREDICATE_RANK.get(point.predicate or "")
        coordinates.append((x, y_of(rank) if rank else None))
        name = point.period_name if len(point.period_name) <= 18 else point.period_name[:17] + "…"
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 18}" font-size="11" '
            f'text-anchor="middle">{escape(name)}</text>'
        )
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates if y is not None)
    if line.count(",") > 1:
        parts.append(f'<polyline points="{line}" fill="none" stroke="#1565c0" stroke-width="2"/>')
    for (x, y), point in zip(coordinates, points, strict=True):
        if y is None:
            parts.append(
                f'<text x="{x:.1f}" y="{top + plot_h / 2:.0f}" font-size="11" '
                f'text-anchor="middle" fill="#777">belum ada</text>'
            )
            continue
        colour = BAR_COLOURS.get(point.predicate or "", "#607d8b")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}" stroke="#333">'
            f"<title>{escape(point.period_name)}: {escape(label(point.predicate))}</title>"
            f"</circle>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
