"""YAML syntax errors reach policy officers in Indonesian, on the line and column to mend: an
unclosed quote at its opening quote (not where a later quote closed it), a badly indented line
at its first character, an unclosed bracket at the bracket. With libyaml and without it."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml

from app.engine import validate_text
from app.engine.loader import load_located

SHIPPED = (Path(__file__).resolve().parents[2] / "rules" / "kinerja-asn-aceh.yaml").read_text(
    encoding="utf-8"
)
ENGLISH = re.compile(
    r"\b(found|expected|while|scanning|parsing|mapping|allowed|character|stream|token|"
    r"indicator|could not|document start|block|flow|scalar|undefined)\b",
    re.IGNORECASE,
)


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request, monkeypatch) -> str:
    """Both of PyYAML's scanners: libyaml words and places some errors differently."""
    if request.param == "pure-python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML is built without libyaml here")
    return request.param


def _line_of(text: str, start: str) -> int:
    return next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith(start))


def _swap(old: str, new: str) -> str:
    assert old in SHIPPED, old
    return SHIPPED.replace(old, new, 1)


LABEL = "    label: Hasil Kerja\n"
SCALE = "    scale: ekspektasi\n    source: rhk"
LEVELS = "  ekspektasi: [di_bawah_ekspektasi, sesuai_ekspektasi, di_atas_ekspektasi]"

# name: (broken text, the line it starts with, expected column, the start of the message)
MISTAKES = {
    "unclosed double quote": (
        _swap(LABEL, '    label: "Hasil Kerja\n'),
        '    label: "Hasil',
        12,
        'Tanda kutip " dibuka di sini tetapi tidak ditutup',
    ),
    "unclosed single quote": (
        _swap(LABEL, "    label: 'Hasil Kerja\n"),
        "    label: 'Hasil",
        12,
        "Tanda kutip ' dibuka di sini tetapi tidak ditutup",
    ),
    "line indented deeper than its siblings": (
        _swap(SCALE, "     scale: ekspektasi\n    source: rhk"),
        "     scale: ekspektasi",
        6,
        "Indentasi baris ini lebih dalam daripada kunci di atasnya",
    ),
    "line indented between two levels": (
        _swap(SCALE, "   scale: ekspektasi\n    source: rhk"),
        "   scale: ekspektasi",
        4,
        "Indentasi baris ini tidak sejajar dengan tingkat mana pun",
    ),
    "tab as indentation": (
        _swap(SCALE, "\tscale: ekspektasi\n    source: rhk"),
        "\tscale",
        1,
        "Ada karakter tab di sini",
    ),
    "key without colon": (
        _swap("    source: rhk", "    source rhk"),
        "    source rhk",
        5,
        "Kunci ini tidak diikuti titik dua",
    ),
    "unclosed bracket": (
        _swap(LEVELS, LEVELS[:-1]),
        "  ekspektasi: [",
        15,
        "Kurung siku '[' dibuka di sini tetapi tidak ditutup",
    ),
    "colon and space inside a value": (
        _swap(LABEL, "    label: Hasil Kerja: utama\n"),
        "    label: Hasil Kerja: utama",
        23,
        "Nilai ini memuat titik dua diikuti spasi",
    ),
    "list item where a key belongs": (
        _swap(
            "    - level: sesuai_ekspektasi\n  perilaku_kerja:",
            "    - level: sesuai_ekspektasi\n  - perilaku_kerja:",
        ),
        "  - perilaku_kerja:",
        3,
        "Butir daftar ('- ') ada di tempat yang mengharapkan kunci",
    ),
    "text after a closing quote": (
        _swap(LABEL, '    label: "Hasil" Kerja\n'),
        '    label: "Hasil" Kerja',
        20,
        "Ada teks setelah tanda kutip penutup",
    ),
    "character that cannot start a value": (
        _swap(LABEL, "    label: @Hasil Kerja\n"),
        "    label: @Hasil",
        12,
        "Karakter '@' tidak boleh mengawali nilai",
    ),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_syntax_error_is_indonesian_at_the_place_to_mend(loader, name):
    text, line_start, col, message = MISTAKES[name]
    issues = validate_text(text)
    assert len(issues) == 1, issues
    issue = issues[0]
    assert (issue.line, issue.col) == (_line_of(text, line_start), col), issue
    assert issue.message.startswith(message), issue.message
    assert not ENGLISH.search(issue.message), issue.message


SMALL = {
    "unclosed flow mapping": ("name: {a: 1\nscales: 1\n", (1, 7), "Kurung kurawal '{'"),
    "wrong closing bracket": ("a: [b, c}\n", (1, 9), "Di sini diharapkan koma (,) atau"),
    "unknown escape": ('name: "a\\qb"\n', (1, 9), "Garis miring terbalik"),
    "alias of nothing": ("name: *x\n", (1, 7), "Alias '*x' merujuk ke anchor '&x'"),
    "anchor twice": ("a: &x 1\nb: &x 2\n", (2, 4), "Anchor '&x' sudah dipakai di baris 1"),
    "unknown tag": ("a: !x!y 1\n", (1, 4), "Tag YAML '!x!y' tidak dikenal"),
    "text after the end of the document": ("a: 1\n...\nb\n", (3, 1), "Ada teks setelah akhir"),
    "map line inside a list": ("a:\n  - x\n  b: 1\n", (3, 3), "Baris ini berada di dalam daftar"),
    "control character": ("a: \x01\n", (1, 4), "Karakter tidak terlihat"),
    "block text under-indented": ("a: |\n  x\n y\n", (3, 2), "Indentasi baris ini"),
}


@pytest.mark.parametrize("name", sorted(SMALL))
def test_less_common_syntax_errors_are_worded_too(loader, name):
    text, place, message = SMALL[name]
    document, issues = load_located(text)
    assert document is None and len(issues) == 1
    assert (issues[0].line, issues[0].col) == place, issues[0]
    assert issues[0].message.startswith(message), issues[0].message
    assert not ENGLISH.search(issues[0].message), issues[0].message


def test_no_english_reaches_the_officer_whatever_is_broken(loader):
    """Seeded mutations of the shipped ruleset (a character of YAML's punctuation inserted or
    one deleted): every syntax error is worded in Indonesian and placed inside the text."""
    rng = random.Random(11)
    lines_in_text = SHIPPED.count("\n") + 1
    broken = 0
    tries = 300 if loader == "libyaml" else 60  # the pure-Python scanner is ten times slower
    for _ in range(tries):
        at = rng.randrange(len(SHIPPED))
        if rng.random() < 0.5:
            text = SHIPPED[:at] + rng.choice(":\"'[]{}\t-&*!%|>@`,#") + SHIPPED[at:]
        else:
            text = SHIPPED[:at] + SHIPPED[at + 1 :]
        document, issues = load_located(text)
        if document is not None:
            continue
        broken += 1
        for issue in issues:
            assert not ENGLISH.search(issue.message), (issue, text[at - 40 : at + 40])
            assert 1 <= issue.line <= lines_in_text + 1 and issue.col >= 1
    assert broken > tries // 15
