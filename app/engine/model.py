"""The typed model of a validated ruleset: what the compiler and the evaluator work from.

Everything here is plain, frozen data. The validator is the only producer; after it, no code needs
to second-guess the YAML again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain import enums

# The input vocabulary is the domain's (app/domain/enums.py: plain data, no app code), so the
# engine, the database constraints and the forms cannot disagree. Predikat are ranked here, so
# they are listed lowest first.
RATER_KINDS = enums.RATER_KINDS
PREDICATES = enums.PREDICATES_LOWEST_FIRST
ORGANISATION_PREDICATES = enums.ORGANISATION_PREDICATES_LOWEST_FIRST
JABATAN_KINDS = enums.JABATAN_KINDS
JENJANG = enums.JENJANG
PERIOD_KINDS = enums.PERIOD_KINDS
EMPLOYEE_STATUSES = enums.EMPLOYEE_STATUSES
PREDICATE_ROWS = "hasil_kerja"
PREDICATE_COLUMNS = "perilaku_kerja"


@dataclass(frozen=True)
class FactType:
    """What kind of value a fact path holds; `levels` orders level-like facts (lowest first)."""

    kind: str  # "level", "number", "bool" or "text"
    levels: tuple[str, ...] = ()

    def encode(self, value: Any) -> Any:
        """The durable-rules form of a valid constant: levels as ranks, booleans as 0/1."""
        if self.kind == "level":
            return self.levels.index(value) + 1
        if self.kind == "bool":
            return 1 if value else 0
        return value

    def decode(self, value: Any) -> Any:
        """The readable form of an encoded value, for explanations."""
        if value is None:
            return None
        if self.kind == "level":
            return self.levels[value - 1]
        if self.kind == "bool":
            return bool(value)
        return value


@dataclass(frozen=True)
class Atom:
    """One comparison of a fact with constants; `value` is encoded (a tuple for in/not_in)."""

    path: str
    op: str
    value: Any
    shown: Any


@dataclass(frozen=True)
class AllOf:
    items: tuple[Cond, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Cond, ...]


@dataclass(frozen=True)
class NotOf:
    item: Cond


Cond = Atom | AllOf | AnyOf | NotOf
ALWAYS = AllOf(())


@dataclass(frozen=True)
class Scale:
    name: str
    levels: tuple[str, ...]  # ordered scale: its levels; numeric scale: optional level names
    minimum: float | None = None
    maximum: float | None = None

    @property
    def ordered(self) -> bool:
        return self.minimum is None


@dataclass(frozen=True)
class Aspect:
    name: str
    scale: Scale
    source: str  # "rhk" or "indicators"
    indicators: tuple[tuple[str, float], ...]
    minimum: int
    required: bool
    # The rater kinds whose ratings decide the aspect's items; other kinds are reported as input.
    # Empty: every kind with a positive weight decides.
    raters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A named rule of any stage; `outcome`: level, predikat, award, recommendation or percent."""

    name: str
    when: Cond
    outcome: Any
    text: str  # the condition in plain Indonesian, for explanations
    # A level rule that may decide an aspect none of whose items is rated yet (a unit leader's
    # hasil kerja follows the organisation's result, SE MenPANRB 3/2023).
    without_ratings: bool = False


@dataclass(frozen=True)
class Component:
    name: str
    share: float
    by_predicate: tuple[tuple[str, float], ...]  # empty when bands are used
    bands: tuple[Rule, ...]


@dataclass(frozen=True)
class Bound:
    name: str
    predicates: tuple[str, ...]
    min_share: float | None
    max_share: float | None
    min_count: int | None
    max_count: int | None


@dataclass(frozen=True)
class Ruleset:
    """A validated ruleset; `checksum` (sha256 of the text) names its compiled rulesets."""

    name: str
    checksum: str
    text: str
    scales: dict[str, Scale]
    raters: dict[str, float]
    aspects: dict[str, Aspect]
    levels: dict[str, tuple[Rule, ...]]
    predicate: tuple[Rule, ...]
    awards: tuple[Rule, ...]
    training: tuple[Rule, ...]
    angka_kredit_percent: dict[str, float]
    # Annual angka kredit coefficient per jenjang; empty in the older percent-only form.
    angka_kredit_koefisien: dict[str, float]
    components: tuple[Component, ...]
    distribution: dict[str, tuple[Bound, ...]]
    distribution_strictness: str
    fact_types: dict[str, FactType] = field(default_factory=dict)
    # From the indicator catalogue, when one was given: the rater kinds allowed per code.
    allowed_raters: dict[str, tuple[str, ...]] = field(default_factory=dict)
