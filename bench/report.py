"""docs/benchmarks.md as a set of named sections, each rewritten only by its own benchmark.

Benchmarks run separately (the engine today, the database close-period and HTTP latency later) and
sometimes on different days, so a run must replace only the sections it measured and keep the rest
as they were. Each section sits between two HTML comments that name it; text outside them (the
file's introduction) is kept as written.
"""

from __future__ import annotations

import re
from pathlib import Path

HEADER = """# Benchmarks

Figures produced by `make bench` (`.venv/bin/python -m bench`). Each section below is rewritten
only when its benchmark runs (`python -m bench NAME`), and names the machine, the date and the
package versions it was measured with. Benchmarks are measurements, not tests: no test asserts a
time. `python -m bench --quick` runs every benchmark at smoke size and only prints (its figures say
nothing about speed); `python -m bench --help` lists the options.
"""

_MARK = re.compile(
    r"<!-- bench:(?P<name>[a-z0-9_-]+):start -->\n(?P<body>.*?)<!-- bench:(?P=name):end -->\n?",
    re.S,
)


def _block(name: str, body: str) -> str:
    """A section wrapped in its markers, ending with exactly one newline."""
    return f"<!-- bench:{name}:start -->\n{body.rstrip()}\n<!-- bench:{name}:end -->\n"


def merge(existing: str, sections: dict[str, str]) -> str:
    """Replace the named sections in `existing` (in place) and append the new ones at the end.

    Sections that were not run are kept byte for byte, so two benchmarks measured on different
    days can live in one file.
    """
    text = existing if existing.strip() else HEADER
    done: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name in sections:
            done.add(name)
            return _block(name, sections[name])
        return match.group(0)

    text = _MARK.sub(replace, text)
    for name, body in sections.items():
        if name not in done:
            text = text.rstrip("\n") + "\n\n" + _block(name, body)
    return text


def write(path: Path, sections: dict[str, str]) -> None:
    """Merge `sections` into the file at `path`, creating it (with its introduction) if needed."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(merge(existing, sections), encoding="utf-8")
