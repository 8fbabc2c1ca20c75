"""YAML syntax errors for policy officers: in Indonesian, at the place to mend, with what to do.

PyYAML (and libyaml under it) words its errors in English and places them where the parser gave
up, which is often not where the mistake is: an unclosed quote is reported at the end of the
file, an unclosed `[` on the next line, a key without a colon on the line after it. Each error
here is matched by its kind (libyaml's and PyYAML's wording alike), placed on the mark that
points at the mistake (the opening quote, the bracket, the start of a badly indented line) and
described in words a policy officer can act on. No English reaches the message: an error of a
kind not listed gets a general Indonesian message at the parser's position.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

from app.engine.errors import Issue

Position = tuple[int, int]  # line and column, counted from 1

GENERAL = (
    "Teks YAML tidak dapat dibaca di sini. Periksa indentasi, titik dua dan tanda kutip pada "
    "baris ini dan baris di atasnya."
)
TAB = "Ada karakter tab di sini. YAML memakai spasi untuk indentasi: ganti tab dengan spasi."


class _Text:
    """The document's lines, to look at what stands where an error was reported."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines() or [""]

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def char(self, at: Position) -> str:
        line = self.line(at[0])
        return line[at[1] - 1] if 0 < at[1] <= len(line) else ""

    def start(self, number: int) -> Position:
        """Where the text of a line begins (after its indentation)."""
        line = self.line(number)
        return number, len(line) - len(line.lstrip(" ")) + 1

    def word(self, at: Position) -> str:
        """The name written from `at` on (an anchor's, alias's or tag's)."""
        found = re.match(r"[^\s,\[\]{}]*", self.line(at[0])[at[1] - 1 :])
        return found.group(0) if found else ""


def _position(mark: yaml.Mark | None) -> Position:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _position_of_index(text: str, index: int) -> Position:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


_Rule = Callable[[yaml.MarkedYAMLError, _Text, Position, Position], Issue | None]


def _tab_or_character(
    error: yaml.MarkedYAMLError, text: _Text, problem: Position, context: Position
) -> Issue:
    char = text.char(problem)
    if char == "\t" or "tab" in (error.problem or ""):
        return Issue(*problem, TAB)
    shown = char or "?"
    return Issue(
        *problem,
        f"Karakter '{shown}' tidak boleh mengawali nilai. Apit nilainya "
        f'dengan tanda kutip, misalnya "{shown}…".',
    )


def _colon(error: yaml.MarkedYAMLError, text: _Text, problem: Position, context: Position) -> Issue:
    before = text.line(problem[0])[: problem[1] - 1]
    if re.search(r":(\s|$)", before):
        return Issue(
            *problem,
            "Nilai ini memuat titik dua diikuti spasi (': '), yang dibaca "
            "sebagai kunci baru. Apit seluruh nilai dengan tanda kutip.",
        )
    return Issue(
        *text.start(problem[0]),
        "Indentasi baris ini lebih dalam daripada kunci di "
        "atasnya. Samakan jumlah spasi di awal baris dengan kunci lain pada tingkat "
        "yang sama.",
    )


def _unexpected_in_block(
    error: yaml.MarkedYAMLError, text: _Text, problem: Position, context: Position
) -> Issue:
    in_list = "collection" in (error.context or "") or "'-' indicator" in (error.problem or "")
    start = text.start(problem[0])
    if in_list:
        return Issue(
            *start,
            "Baris ini berada di dalam daftar tetapi tidak diawali '- '. "
            "Tambahkan '- ' di depannya, atau kurangi indentasinya bila ia bukan "
            "bagian dari daftar.",
        )
    if problem == start:
        if text.char(problem) == "-":
            return Issue(
                *problem,
                "Butir daftar ('- ') ada di tempat yang mengharapkan kunci. "
                "Periksa indentasinya terhadap baris di atasnya.",
            )
        return Issue(
            *problem,
            "Indentasi baris ini tidak sejajar dengan tingkat mana pun di "
            "atasnya. Samakan jumlah spasi di awal baris dengan kunci lain pada tingkat "
            "yang sama.",
        )
    before = text.line(problem[0])[: problem[1] - 1].rstrip()
    if before.endswith(("'", '"')):
        return Issue(
            *problem,
            "Ada teks setelah tanda kutip penutup. Letakkan seluruh nilai di dalam tanda kutip.",
        )
    return Issue(
        *problem,
        "Ada teks yang tidak diharapkan di sini. Periksa indentasi dan tanda baca baris ini.",
    )


def _end_of_stream(
    error: yaml.MarkedYAMLError, text: _Text, problem: Position, context: Position
) -> Issue | None:
    if "quoted scalar" in (error.context or ""):
        quote = text.char(context) or '"'
        return Issue(
            *context,
            f"Tanda kutip {quote} dibuka di sini tetapi tidak ditutup. "
            f"Tambahkan {quote} penutup di akhir nilai.",
        )
    return None


def _flow(error: yaml.MarkedYAMLError, text: _Text, problem: Position, context: Position) -> Issue:
    opening, closing = ("{", "}") if "mapping" in (error.context or "") else ("[", "]")
    kind = "Kurung kurawal" if opening == "{" else "Kurung siku"
    if problem[0] != context[0] or not text.char(problem):
        return Issue(
            *context,
            f"{kind} '{opening}' dibuka di sini tetapi tidak ditutup dengan "
            f"'{closing}' pada baris yang sama. Tambahkan '{closing}', atau periksa "
            "koma di antara butirnya.",
        )
    return Issue(
        *problem,
        f"Di sini diharapkan koma (,) atau penutup '{closing}', tetapi "
        f"tertulis '{text.char(problem)}'.",
    )


def _no_colon(
    error: yaml.MarkedYAMLError, text: _Text, problem: Position, context: Position
) -> Issue:
    return Issue(
        *context,
        "Kunci ini tidak diikuti titik dua. Tulis 'kunci: nilai'; bila baris "
        "ini lanjutan nilai di atasnya, apit nilai itu dengan tanda kutip.",
    )


def _escape(
    error: yaml.MarkedYAMLError, text: _Text, problem: Position, context: Position
) -> Issue:
    if text.char(problem) != "\\" and text.char((problem[0], problem[1] - 1)) == "\\":
        problem = (problem[0], problem[1] - 1)  # PyYAML points past the backslash, libyaml at it
    return Issue(
        *problem,
        "Garis miring terbalik (\\) di dalam tanda kutip ganda memulai kode "
        "yang tidak dikenal. Pakai tanda kutip tunggal, atau tulis \\\\.",
    )


def _alias(error: yaml.MarkedYAMLError, text: _Text, problem: Position, context: Position) -> Issue:
    name = text.word(problem).lstrip("*")
    return Issue(
        *problem,
        f"Alias '*{name}' merujuk ke anchor '&{name}' yang tidak ada. "
        "Tulis nilainya langsung, atau periksa nama anchornya.",
    )


def _duplicate_anchor(
    error: yaml.MarkedYAMLError, text: _Text, problem: Position, context: Position
) -> Issue:
    name = text.word(problem).lstrip("&")
    return Issue(*problem, f"Anchor '&{name}' sudah dipakai di baris {context[0]}. Beri nama lain.")


def _tag(error: yaml.MarkedYAMLError, text: _Text, problem: Position, context: Position) -> Issue:
    return Issue(
        *problem,
        f"Tag YAML '{text.word(problem)}' tidak dikenal. Hapus tanda seru (!) "
        "atau apit nilai dengan tanda kutip.",
    )


def _fixed(message: str, where: str = "problem") -> _Rule:
    def rule(
        error: yaml.MarkedYAMLError, text: _Text, problem: Position, context: Position
    ) -> Issue:
        if where == "start":
            return Issue(*text.start(problem[0]), message)
        return Issue(*(context if where == "context" else problem), message)

    return rule


# (pattern of the problem, rule): libyaml's wording and PyYAML's, first match wins.
RULES: tuple[tuple[str, _Rule], ...] = (
    (r"found (a )?tab character|found character '\\t'", _tab_or_character),
    (r"cannot start any token", _tab_or_character),
    (r"^mapping values are not allowed", _colon),
    (
        r"did not find expected key|did not find expected '-' indicator|"
        r"expected <block end>, but found",
        _unexpected_in_block,
    ),
    (r"found unexpected end of stream", _end_of_stream),
    (r"expected ',' or '[\]}]'", _flow),
    (r"could not find expected ':'", _no_colon),
    (r"found unknown escape character", _escape),
    (r"found undefined alias", _alias),
    (r"second occurrence", _duplicate_anchor),
    (r"undefined tag handle|expected '!'|expected '>'|tag URI|URI escaped", _tag),
    (
        r"document start",
        _fixed(
            "Ada teks setelah akhir dokumen ('...'). Hapus baris ini, atau "
            "tanda akhir dokumen di atasnya.",
            "start",
        ),
    ),
    (
        r"unexpected document indicator",
        _fixed(
            "Tiga tanda '---' atau '...' di awal baris menandai dokumen baru. Tambahkan spasi di "
            "depannya bila ia bagian dari nilai."
        ),
    ),
    (
        r"directive|%YAML|%TAG|version number|digit or '\.'|non-alphabetical",
        _fixed(
            "Baris yang diawali '%' dibaca sebagai perintah YAML. Hapus baris ini atau apit "
            "nilainya dengan tanda kutip.",
            "start",
        ),
    ),
    (
        r"block sequence entries are not allowed",
        _fixed(
            "Butir daftar ('- ') tidak boleh ada di sini. Tulis butir daftar di baris baru, dengan "
            "indentasi lebih dalam daripada kuncinya."
        ),
    ),
    (
        r"mapping keys are not allowed|found unexpected ':'",
        _fixed("Titik dua tidak boleh ada di sini. Apit nilai ini dengan tanda kutip."),
    ),
    (
        r"node content",
        _fixed(
            "Di sini diharapkan sebuah nilai, tetapi tidak ada (misalnya koma ganda di dalam [...] "
            "atau tanda baca tanpa nilai)."
        ),
    ),
    (
        r"comment or (a )?line break|whitespace",
        _fixed(
            "Ada teks yang tidak diharapkan di akhir nilai ini. Hapus teks itu, atau apit seluruh "
            "nilai dengan tanda kutip."
        ),
    ),
    (
        r"alphabetic or numeric",
        _fixed("Nama anchor (&) atau alias (*) hanya boleh memuat huruf, angka, '-' dan '_'."),
    ),
    (
        r"indentation indicator",
        _fixed(
            "Penanda teks blok (| atau >) tidak benar. Tulis | atau > saja di akhir baris kunci, "
            "lalu teksnya di baris berikutnya dengan indentasi lebih dalam."
        ),
    ),
    (
        r"Unicode|UTF-8|hexdecimal",
        _fixed("Kode karakter di dalam tanda kutip ganda tidak benar. Tulis karakternya langsung."),
    ),
)


# A line inside a quoted value that reads like the start of a key or a list item: the quote
# was probably never closed, and a later quote (in a comment, in another value) closed it.
_SWALLOWED_LINE = re.compile(r"\n[ \t]*(- |[\w.-]+:(\s|$))")


def _runaway_quote(text: str, loader: type) -> Issue | None:
    """The first quoted value that runs over several lines and swallows keys, when reading
    stops at an error after it. Its opening quote is the mistake, however far below the parser
    gave up (the next quote closed it, and the error came after that one)."""
    try:
        for token in yaml.scan(text, Loader=loader):
            if not isinstance(token, yaml.ScalarToken) or token.style not in ('"', "'"):
                continue
            start, end = token.start_mark, token.end_mark
            if start.line != end.line and _SWALLOWED_LINE.search(text[start.index : end.index]):
                quote = token.style
                return Issue(
                    start.line + 1,
                    start.column + 1,
                    f"Tanda kutip {quote} dibuka di sini tetapi tidak ditutup pada baris "
                    f"yang sama: nilainya baru berakhir pada tanda kutip di baris "
                    f"{end.line + 1}. Tambahkan {quote} penutup di akhir nilai "
                    "ini.",
                )
    except yaml.YAMLError:
        pass
    return None


def syntax_issue(error: yaml.YAMLError, text: str, loader: type | None = None) -> Issue:
    """The Indonesian issue for a YAML error raised while reading `text` with `loader` (the
    fastest safe loader when not given)."""
    if isinstance(error, yaml.reader.ReaderError):
        line, col = _position_of_index(text, error.position)
        code = f"U+{error.character:04X}" if isinstance(error.character, int) else "?"
        return Issue(
            line,
            col,
            f"Karakter tidak terlihat yang tidak diizinkan ({code}) ada di "
            "sini. Hapus karakter ini; ia sering ikut tersalin dari dokumen "
            "lain.",
        )
    if not isinstance(error, yaml.MarkedYAMLError):
        return Issue(1, 1, GENERAL)
    fastest: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    runaway = _runaway_quote(text, loader or fastest)
    if runaway is not None:
        return runaway
    lines = _Text(text)
    problem = _position(error.problem_mark or error.context_mark)
    context = _position(error.context_mark or error.problem_mark)
    for pattern, rule in RULES:
        if re.search(pattern, error.problem or ""):
            issue = rule(error, lines, problem, context)
            if issue is not None:
                return issue
    return Issue(*problem, GENERAL)
