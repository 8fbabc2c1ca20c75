"""Reading ratings strictly: every problem that could change a result is named, in Indonesian.

A rating that is out of scale, names an unknown indicator, lacks its RHK's `utama`, has no value,
repeats one rater's rating of an item, or comes from a rater kind the ruleset or the indicator
catalogue does not allow, is reported here; the evaluator then withholds the predikat
(`tidak_valid`) instead of deciding on what is left. Ratings by a kind whose weight is 0 cannot
change a result, so their problems are left out silently.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.domain.enums import RaterKind

if TYPE_CHECKING:
    from app.engine.evaluator import Runtime, _AspectPlan

# The kinds of which an employee has exactly one rater: two of their ratings of one item are a
# duplicate. Peers and the public are many; their duplicates are known by `rater_id`. The plain
# values, as the input holds them.
ONCE_KINDS = frozenset((RaterKind.SUPERVISOR.value, RaterKind.SELF.value))
KIND_WORDS = {
    "supervisor": "pejabat penilai",
    "peer": "rekan kerja",
    "self": "pegawai sendiri",
    "public": "masyarakat",
}
# an item (indicator code, or ("rhk", id)) -> its aspect and its (rater, value[, utama]) entries
Groups = dict[Any, tuple["_AspectPlan", list[tuple[Any, ...]]]]


def _kind_word(kind: Any) -> str:
    return KIND_WORDS.get(kind, f"'{kind}'") if isinstance(kind, str) else f"'{kind}'"


def read_ratings(runtime: Runtime, ratings: Any, issues: list[str]) -> Groups:
    """The acceptable ratings grouped per item, in rating order; the rest reported in `issues`."""
    groups: Groups = {}
    if not isinstance(ratings, list):
        if ratings is not None:
            issues.append("'ratings' harus berupa daftar penilaian.")
        return groups
    seen: dict[tuple[Any, ...], int] = {}
    flags: dict[Any, tuple[bool, int]] = {}
    for number, rating in enumerate(ratings, start=1):
        where = f"Penilaian ke-{number}"
        if not isinstance(rating, dict):
            issues.append(f"{where} bukan pemetaan (objek JSON).")
            continue
        kind = rating.get("rater")
        weight = runtime.weights.get(kind) if isinstance(kind, str) else None
        if weight is None or not isinstance(kind, str):  # (a weight is found only for a str)
            if isinstance(kind, str) and kind in KIND_WORDS:
                words = KIND_WORDS[kind]
                issues.append(f"{where}: penilaian oleh {words} tidak dipakai aturan ini.")
            else:
                issues.append(f"{where}: jenis penilai '{kind}' tidak dikenal.")
            continue
        silent = weight == 0
        problems: list[str] = []
        accepted = _check(runtime, rating, kind, where, problems)
        if accepted is None:
            if not silent:
                issues.extend(problems)
            continue
        plan, key, entry = accepted
        if not silent:
            duplicate = _duplicate(rating, key, kind, where, number, seen)
            if duplicate:
                issues.append(duplicate)
                continue
            if len(entry) > 2:
                first = flags.setdefault(key, (entry[2], number))
                if first[0] is not entry[2]:
                    issues.append(
                        f"{where}: RHK '{key[1]}' disebut "
                        f"{'utama' if entry[2] else 'tambahan'}, padahal penilaian ke-{first[1]} "
                        f"menyebutnya {'utama' if first[0] else 'tambahan'}."
                    )
                    continue
        groups.setdefault(key, (plan, []))[1].append(entry)
    return groups


def _check(
    runtime: Runtime, rating: dict[str, Any], kind: str, where: str, problems: list[str]
) -> tuple[_AspectPlan, Any, tuple[Any, ...]] | None:
    """The rating's aspect, item and entry, or None with the reasons in `problems`."""
    code, rhk = rating.get("indicator"), rating.get("rhk")
    if (code is None) == (rhk is None):
        problems.append(f"{where} harus menyebut tepat satu: 'indicator' atau 'rhk'.")
        return None
    value = rating.get("value")
    if code is not None:
        plan = runtime.by_code.get(code) if isinstance(code, str) else None
        if plan is None:
            problems.append(f"{where}: indikator '{code}' tidak ada di aturan ini.")
            return None
        allowed = runtime.allowed.get(code)
        if allowed is not None and kind not in allowed:
            problems.append(
                f"{where}: {KIND_WORDS[kind]} tidak boleh menilai indikator '{code}' "
                "(katalog indikator)."
            )
            return None
        key: Any = code
        label = code
        entry: tuple[Any, ...] = (kind, value)
    else:
        plan = runtime.rhk_plan
        if plan is None:
            problems.append(f"{where}: aturan ini tidak menilai RHK.")
            return None
        if not isinstance(rhk, str | int) or isinstance(rhk, bool):
            problems.append(f"{where}: kode RHK '{rhk}' tidak sah (harus teks atau angka).")
            return None
        label = str(rhk)
        key = ("rhk", label)
        utama = rating.get("utama")
        if not isinstance(utama, bool):
            problems.append(
                f"{where}: RHK '{label}' tanpa keterangan 'utama' (true untuk RHK utama, "
                "false untuk RHK tambahan)."
            )
            return None
        entry = (kind, value, utama)
    if value is None:
        problems.append(f"{where}: '{label}' tanpa nilai.")
        return None
    if plan.measure(value) is None:
        problems.append(f"{where}: nilai '{value}' di luar skala '{plan.scale}' untuk '{label}'.")
        return None
    return plan, key, entry


def _duplicate(
    rating: dict[str, Any],
    key: Any,
    kind: str,
    where: str,
    number: int,
    seen: dict[tuple[Any, ...], int],
) -> str | None:
    """Why a rating repeats one rater's rating of the same item, if it does."""
    rater_id = rating.get("rater_id")
    if rater_id is not None and (not isinstance(rater_id, str | int) or isinstance(rater_id, bool)):
        return f"{where}: 'rater_id' '{rater_id}' tidak sah (harus teks atau angka)."
    if kind in ONCE_KINDS:
        ident: tuple[Any, ...] = (key, kind)
    elif rater_id is not None:
        ident = (key, kind, str(rater_id))
    else:
        return None
    first = seen.setdefault(ident, number)
    if first == number:
        return None
    label = key[1] if isinstance(key, tuple) else key
    return (
        f"{where}: penilaian ganda oleh {_kind_word(kind)} untuk '{label}' "
        f"(sudah dinilai di penilaian ke-{first})."
    )
