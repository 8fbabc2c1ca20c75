"""`python -m bench [NAME ...] [--quick] [--memory]`: run benchmarks, write docs/benchmarks.md.

The runner knows nothing about what is measured: each entry of `BENCHMARKS` names a module with a
`TITLE`, a `PACKAGES` tuple (the versions worth recording) and `run(options) -> str` returning the
section's markdown. Adding a benchmark is one line in `BENCHMARKS`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path
from typing import Protocol, cast

from bench import machine, report
from bench.options import Options

#: name -> module; the order is the order of the sections in a new docs/benchmarks.md.
BENCHMARKS: dict[str, str] = {
    "engine": "bench.engine",
    "close": "bench.close_period",
    "latency": "bench.latency",
    "simulation": "bench.simulation",
}

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


class Benchmark(Protocol):
    """What a benchmark module provides (checked by duck typing, declared for readers)."""

    TITLE: str
    PACKAGES: tuple[str, ...]

    def run(self, options: Options) -> str:
        """Measure and return the section body (markdown, without the title line)."""
        ...


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke size: proves it runs, figures mean nothing; prints, writes no file",
    )
    parser.add_argument("--memory", action="store_true", help="also the long memory-flatness runs")
    parser.add_argument("--size", type=int, help="override the benchmark's problem size")
    parser.add_argument("--seed", type=int, default=Options.seed, help="seed of the generated data")
    parser.add_argument(
        "--output",
        type=Path,
        help="markdown file to update (default: docs/benchmarks.md; with --quick: none)",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the sections, leave the file alone"
    )
    args = parser.parse_args(argv)
    if args.output is None and not args.quick:
        args.output = DEFAULT_OUTPUT
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    return args


def run_one(name: str, options: Options) -> str:
    """Run one benchmark and return its full section: title, machine line, body, duration."""
    module = cast(Benchmark, importlib.import_module(BENCHMARKS[name]))
    started = time.perf_counter()
    stamp = machine.describe(module.PACKAGES)
    body = module.run(options)
    took = time.perf_counter() - started
    smoke = " Smoke size (`--quick`): the figures say nothing about speed." if options.quick else ""
    return f"## {module.TITLE}\n\n{stamp} The run took {took:.0f} s.{smoke}\n\n{body.strip()}\n"


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks in order and merge their sections into the output file."""
    args = _parse(sys.argv[1:] if argv is None else argv)
    options = Options(quick=args.quick, memory=args.memory, size=args.size, seed=args.seed)
    sections: dict[str, str] = {}
    for name in args.names or list(BENCHMARKS):
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        sections[name] = run_one(name, options)
        print(sections[name])
    # Smoke-size figures never overwrite the real ones unless a file is named explicitly.
    if args.output is not None and not args.no_write:
        report.write(args.output, sections)
        print(f"bench: wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
