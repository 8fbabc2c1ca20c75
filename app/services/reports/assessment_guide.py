"""The "cara penilaian kinerja" page: the ruleset a period follows, described for every employee.

Everything is read from the published version pinned to the period (or, before pinning, the
latest published one), through the engine's own model and the explanations' renderer, so what
employees read is what the engine does and the page changes when the rules change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fpdf import FPDF
from sqlalchemy.orm import Session

from app.domain.enums import label
from app.domain.explanations import requirement
from app.domain.wording import long_date, number
from app.engine import as_tree
from app.models import Period, RuleSetVersion
from app.services.actor import Actor
from app.services.appraisal.periods import PeriodChoice, period_choice, pinned_or_latest
from app.services.authoring.rulesets import engine_ruleset
from app.services.reports.explain import indicator_names
from app.services.reports.reports import FONT, _document


@dataclass
class RuleLine:
    """One rule as a sentence: what it decides and when."""

    outcome: str
    condition: str


@dataclass
class AspectGuide:
    name: str
    source: str
    raters: list[str]
    required: bool
    indicators: list[str]
    levels: list[RuleLine]


@dataclass
class Matrix:
    """The predikat matrix: rows are the first aspect's levels (highest first), columns the
    second's; `cells[row][column]` is the predikat's label."""

    row_aspect: str
    column_aspect: str
    rows: list[str]
    columns: list[str]
    cells: list[list[str]]


@dataclass
class ComponentGuide:
    name: str
    share: str
    by_predicate: list[tuple[str, str]]
    bands: list[RuleLine]


@dataclass
class Guide:
    choice: PeriodChoice
    version: RuleSetVersion | None = None
    raters: list[tuple[str, str]] = field(default_factory=list)
    aspects: list[AspectGuide] = field(default_factory=list)
    matrix: Matrix | None = None
    awards: list[RuleLine] = field(default_factory=list)
    training: list[RuleLine] = field(default_factory=list)
    components: list[ComponentGuide] = field(default_factory=list)
    angka_kredit_percent: list[tuple[str, str]] = field(default_factory=list)
    angka_kredit_koefisien: list[tuple[str, str]] = field(default_factory=list)

    @property
    def period(self) -> Period | None:
        return self.choice.selected


def _matrix(model: Any) -> Matrix | None:
    """The 3×3 table from the predicate rules, each a pair of `<aspect>.level = <level>`."""
    cells: dict[tuple[str, str], str] = {}
    aspects: list[str] = []
    for rule in model.predicate:
        atoms = as_tree(rule.when).get("all") or []
        pair = [(a["fact"].split(".")[0], a["value"]) for a in atoms if "fact" in a]
        if len(pair) != 2:
            return None
        aspects = aspects or [pair[0][0], pair[1][0]]
        cells[(str(pair[0][1]), str(pair[1][1]))] = label(str(rule.outcome))
    if len(aspects) != 2:
        return None
    rows = list(reversed(model.aspects[aspects[0]].scale.levels))
    columns = list(reversed(model.aspects[aspects[1]].scale.levels))
    return Matrix(
        row_aspect=label(aspects[0]),
        column_aspect=label(aspects[1]),
        rows=[label(r) for r in rows],
        columns=[label(c) for c in columns],
        cells=[[cells.get((r, c), "–") for c in columns] for r in rows],
    )


def _source(aspect: Any) -> str:
    if aspect.source == "rhk":
        return "Rencana Hasil Kerja (RHK) dalam SKP"
    return "Indikator yang dinilai"


def guide(session: Session, actor: Actor, period_id: int | None = None) -> Guide:
    """The description of the ruleset the chosen period follows (none: nothing to describe)."""
    choice = period_choice(session, actor, period_id)
    result = Guide(choice=choice)
    version = pinned_or_latest(session, choice.selected) if choice.selected else None
    if version is None:
        return result
    model = engine_ruleset(session, version).model
    names = indicator_names(session)

    def line(rule: Any, outcome: str) -> RuleLine:
        text = requirement(as_tree(rule.when), names)
        return RuleLine(outcome, text[:1].upper() + text[1:])

    total = sum(model.raters.values()) or 1
    result.version = version
    result.raters = [
        (label(kind), f"{number(weight * 100 / total, 0)}%")
        for kind, weight in model.raters.items()
        if weight
    ]
    for key, aspect in model.aspects.items():
        deciding = aspect.raters or tuple(k for k, w in model.raters.items() if w)
        result.aspects.append(
            AspectGuide(
                name=label(key),
                source=_source(aspect),
                raters=[label(kind) for kind in deciding],
                required=aspect.required,
                indicators=[names.get(code, code) for code, _ in aspect.indicators],
                levels=[line(rule, label(str(rule.outcome))) for rule in model.levels.get(key, ())],
            )
        )
    result.matrix = _matrix(model)
    result.awards = [line(rule, str(rule.outcome)) for rule in model.awards]
    result.training = [line(rule, str(rule.outcome)) for rule in model.training]
    for component in model.components:
        result.components.append(
            ComponentGuide(
                name=label(component.name).capitalize(),
                share=f"{number(component.share)}%",
                by_predicate=[(label(p), f"{number(v)}%") for p, v in component.by_predicate],
                bands=[line(rule, f"{number(rule.outcome)}%") for rule in component.bands],
            )
        )
    result.angka_kredit_percent = [
        (label(p), f"{number(v)}%") for p, v in model.angka_kredit_percent.items()
    ]
    result.angka_kredit_koefisien = [
        (label(j), number(v)) for j, v in model.angka_kredit_koefisien.items()
    ]
    return result


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)


def _lines(pdf: FPDF, rules: list[RuleLine]) -> None:
    for rule in rules:
        pdf.multi_cell(0, 6, f"- {rule.outcome}: {rule.condition}", new_x="LMARGIN", new_y="NEXT")


def guide_pdf(content: Guide) -> bytes:
    """The same description as a printable A4 document."""
    pdf = _document("Cara Penilaian Kinerja")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 9, "Cara Penilaian Kinerja", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    if content.period is None or content.version is None:
        pdf.cell(0, 6, "Belum ada aturan penilaian yang diterbitkan.")
        return bytes(pdf.output())
    version = content.version
    pdf.multi_cell(
        0,
        6,
        (
            f"Periode {content.period.name}. Aturan {version.name} versi {version.number}, "
            f"diterbitkan {long_date(version.published_at)}."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _heading(pdf, "Siapa menilai dan bobotnya")
    for who, weight in content.raters:
        pdf.cell(0, 6, f"- {who}: {weight}", new_x="LMARGIN", new_y="NEXT")
    for aspect in content.aspects:
        _heading(pdf, f"Aspek {aspect.name}" + ("" if aspect.required else " (tambahan)"))
        pdf.multi_cell(
            0,
            6,
            (f"Dinilai dari: {aspect.source}. Diputuskan oleh: {', '.join(aspect.raters)}."),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        _lines(pdf, aspect.levels)
    if content.matrix is not None:
        matrix = content.matrix
        _heading(pdf, f"Matriks predikat ({matrix.row_aspect} × {matrix.column_aspect})")
        width = 45
        pdf.set_font(FONT, "B", 9)
        pdf.cell(width, 7, "", border=1)
        for column in matrix.columns:
            pdf.cell(width, 7, column, border=1)
        pdf.ln()
        for row, cells in zip(matrix.rows, matrix.cells, strict=True):
            pdf.set_font(FONT, "B", 9)
            pdf.cell(width, 7, row, border=1)
            pdf.set_font(FONT, "", 9)
            for cell in cells:
                pdf.cell(width, 7, cell, border=1)
            pdf.ln()
        pdf.set_font(FONT, "", 10)
    _heading(pdf, "Penghargaan")
    _lines(pdf, content.awards)
    _heading(pdf, "Rekomendasi pelatihan")
    _lines(pdf, content.training)
    if content.components:
        _heading(pdf, "Tunjangan Tambahan Penghasilan (TPP)")
        for component in content.components:
            pdf.cell(
                0, 6, f"Komponen {component.name}: {component.share}", new_x="LMARGIN", new_y="NEXT"
            )
            for predicate, value in component.by_predicate:
                pdf.cell(0, 6, f"- {predicate}: {value}", new_x="LMARGIN", new_y="NEXT")
            _lines(pdf, component.bands)
    if content.angka_kredit_percent:
        _heading(pdf, "Angka kredit (jabatan fungsional)")
        for predicate, value in content.angka_kredit_percent:
            pdf.cell(0, 6, f"- {predicate}: {value}", new_x="LMARGIN", new_y="NEXT")
        for jenjang, value in content.angka_kredit_koefisien:
            pdf.cell(
                0, 6, f"- Koefisien {jenjang}: {value} per tahun", new_x="LMARGIN", new_y="NEXT"
            )
    return bytes(pdf.output())
