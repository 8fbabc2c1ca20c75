"""The rules-engine benchmark: 40,000 employees through `app.engine.evaluate` and three others.

Issue 3 asks for at least 50,000 employees/s in one process, faster than each peer, and memory
flat over a million evaluations. This module measures that, on the shipped default ruleset and
synthetic data (bench.data), and checks in the same run that the engine, the plain-Python oracle,
zen-engine and rule-engine make the same decisions: a fast wrong answer is worth nothing.

Each measurement runs in a fresh process (spawned, not forked), so that one implementation's heap,
caches and peak RSS do not colour the next one's figures. The data is generated once and handed to
the workers as a pickle.
"""

from __future__ import annotations

import gc
import os
import pickle
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bench import data
from bench.decisions import Decision, differences
from bench.implementations import DEFAULT_RULESET, build
from bench.options import Options

TITLE = "Rules engine: `evaluate` on the default ruleset"
PACKAGES = ("durable-rules", "PyYAML", "zen-engine", "rule-engine")

SIZE = 40_000
QUICK_SIZE = 300
#: durable-rules asked for every employee (no decision cache): slow, so on a prefix only.
NOCACHE = "engine-nocache"
#: Measured in this order (the table's rows); the first is the reference for agreement.
IMPLEMENTATIONS = (
    "engine",
    "engine-bulk",
    NOCACHE,
    "oracle",
    "zen-engine",
    "rule-engine",
    "facts",
    "read",
    "copy",
)
NOCACHE_SIZE = 2_000
#: tracemalloc slows every allocation several-fold: the default run traces a prefix this long.
TRACE_SIZE = 5_000
WARMUP_SEED = 7_777
FLATNESS_MARKS = (100_000, 500_000, 1_000_000)
#: Seconds the default run may spend on the memory-flatness evaluations.
FLATNESS_BUDGET = 60
MIB = 1024 * 1024


def rss_bytes() -> int:
    """Current resident set size of this process (Linux /proc/self/statm), else 0."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def max_rss_bytes() -> int:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _load(path: str, limit: int | None) -> list[dict[str, Any]]:
    with open(path, "rb") as handle:
        batch: list[dict[str, Any]] = pickle.load(handle)
    return batch[:limit] if limit else batch


def time_worker(name: str, data_path: str, ruleset: str, limit: int | None) -> dict[str, Any]:
    """In a fresh process: build, warm up on 20 other employees, evaluate the batch once, timed.

    Peak memory here is the growth of ru_maxrss over the call (native allocations included: the
    durable-rules C core, zen's Rust), taken without tracemalloc so that the timing is not slowed.
    The engine is timed a second time on the same batch, where its decision cache is warm.
    """
    batch = _load(data_path, limit)
    gc.collect()
    started = time.perf_counter()
    implementation = build(name, Path(ruleset))
    implementation.run(data.employees(20, seed=WARMUP_SEED))
    setup = time.perf_counter() - started
    if implementation.prepare:
        implementation.prepare(batch)
    gc.collect()
    max_before, rss_before = max_rss_bytes(), rss_bytes()
    started = time.perf_counter()
    output = implementation.run(batch)
    elapsed = time.perf_counter() - started
    max_after, rss_after = max_rss_bytes(), rss_bytes()
    second = None
    if name == "engine":
        started = time.perf_counter()
        implementation.run(batch)
        second = time.perf_counter() - started
    return {
        "name": implementation.name,
        "n": len(batch),
        "setup": setup,
        "elapsed": elapsed,
        "second": second,
        "maxrss_growth": max_after - max_before,
        "rss_growth": rss_after - rss_before,
        "decisions": implementation.decisions(output),
    }


def trace_worker(name: str, data_path: str, ruleset: str, limit: int | None) -> dict[str, Any]:
    """In a fresh process: tracemalloc's peak of Python allocations during one `run` call.

    tracemalloc sees only allocations through Python's allocator (not the C or Rust heaps of
    durable-rules or zen) and slows the call down, so it runs apart from the timing.
    """
    batch = _load(data_path, limit)
    implementation = build(name, Path(ruleset))
    implementation.run(data.employees(20, seed=WARMUP_SEED))
    if implementation.prepare:
        implementation.prepare(batch)
    gc.collect()
    tracemalloc.start()
    output = implementation.run(batch)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del output
    return {"peak": peak}


def flatness_worker(
    data_path: str, ruleset: str, marks: tuple[int, ...], fresh_seed: int | None, chunk: int
) -> list[dict[str, Any]]:
    """In a fresh process: RSS after each mark of cumulative `evaluate` calls on the engine.

    With `fresh_seed`, every employee is new (generated as it goes, so the decision cache meets
    unseen inputs and durable-rules is asked again); without it, the benchmark batch is evaluated
    again and again in chunks.
    """
    implementation = build("engine", Path(ruleset))
    source: Iterable[dict[str, Any]]
    if fresh_seed is None:
        batch = _load(data_path, None)

        def cycle() -> Iterable[dict[str, Any]]:
            while True:
                yield from batch

        source = cycle()
    else:
        source = data.iter_employees(marks[-1], fresh_seed)
    implementation.run(data.employees(20, seed=WARMUP_SEED))
    gc.collect()
    rows = [{"evaluations": 0, "rss": rss_bytes(), "maxrss": max_rss_bytes(), "seconds": 0.0}]
    done = 0
    started = time.perf_counter()
    evaluating = 0.0
    pending = list(marks)
    iterator = iter(source)
    while pending:
        size = min(chunk, pending[0] - done)
        part = [next(iterator) for _ in range(size)]
        t = time.perf_counter()
        implementation.run(part)
        evaluating += time.perf_counter() - t
        done += size
        if done == pending[0]:
            pending.pop(0)
            gc.collect()
            rows.append(
                {
                    "evaluations": done,
                    "rss": rss_bytes(),
                    "maxrss": max_rss_bytes(),
                    "seconds": time.perf_counter() - started,
                    "evaluating": evaluating,
                }
            )
    return rows


def agreement_in_process(
    size: int,
    seed: int = Options.seed,
    names: tuple[str, ...] = (
        "engine",
        "engine-bulk",
        "oracle",
        "zen-engine",
        "rule-engine",
        NOCACHE,
    ),
) -> dict[str, int]:
    """Employees on which each implementation differs from the first, all in this process.

    No timing and no subprocesses: this is what the smoke test uses to prove that the four
    implementations still decide alike on a small batch.
    """
    batch = data.employees(size, seed)
    decided: dict[str, list[Decision]] = {}
    for name in names:
        implementation = build(name)
        decided[name] = implementation.decisions(implementation.run(batch)) or []
    reference = decided[names[0]]
    return {
        name: sum(1 for left, right in zip(reference, mine, strict=True) if left != right)
        for name, mine in decided.items()
    }


def _in_fresh_process(function: Any, *args: Any) -> Any:
    """Call `function(*args)` in a newly spawned interpreter and return its result."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def _parallel_fresh(calls: list[tuple[Any, ...]], workers: int) -> list[Any]:
    """Several independent calls, each in its own spawned interpreter, `workers` at a time."""
    context = get_context("spawn")
    results: list[Any] = []
    for start in range(0, len(calls), workers):
        pools = [
            ProcessPoolExecutor(max_workers=1, mp_context=context) for _ in calls[start:][:workers]
        ]
        futures = [pool.submit(*call) for pool, call in zip(pools, calls[start:], strict=False)]
        results.extend(f.result() for f in futures)
        for pool in pools:
            pool.shutdown()
    return results


def _mib(value: float | None) -> str:
    return "n/a" if value is None else f"{value / MIB:,.1f} MiB"


def _traced(row: dict[str, Any]) -> str:
    """The tracemalloc peak, saying over how many employees when that is not the whole batch."""
    if row.get("peak") is None:
        return "n/a"
    if row.get("traced") and row["traced"] != row["n"]:
        return f"{_mib(row['peak'])} (first {row['traced']:,})"
    return _mib(row["peak"])


def _rate(n: int, seconds: float | None) -> str:
    return "n/a" if not seconds else f"{n / seconds:,.0f}"


def _agreement(
    reference: list[Decision], other: list[Decision], nips: list[str]
) -> tuple[int, Counter[str], list[str]]:
    """Employees whose decisions differ from the reference, per part, with a few examples."""
    parts: Counter[str] = Counter()
    examples: list[str] = []
    differing = 0
    for nip, left, right in zip(nips, reference, other, strict=False):
        if left != right:
            differing += 1
            which = differences(left, right)
            parts.update(which)
            if len(examples) < 3:
                shown = "; ".join(
                    f"{part}: {getattr(left, part)!r} vs {getattr(right, part)!r}" for part in which
                )
                examples.append(f"`{nip}`: {shown}")
    return differing, parts, examples


def _attempt(function: Any, *args: Any) -> dict[str, Any]:
    """`_in_fresh_process`, with a failure reported as `{"error": ...}` instead of raised.

    One implementation that cannot run (not installed, or broken) must not hide the others'
    figures; the report then says what failed.
    """
    try:
        result: dict[str, Any] = _in_fresh_process(function, *args)
    except Exception as error:  # reported in the markdown, never swallowed
        return {"error": f"{type(error).__name__}: {error}"}
    return result


def prepare_data(size: int, seed: int, path: str) -> tuple[dict[str, float], list[str]]:
    """Generate the batch and pickle it to `path`; return its summary and the employees' NIPs."""
    batch = data.employees(size, seed)
    with open(path, "wb") as handle:
        pickle.dump(batch, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return data.describe(batch), [e["nip"] for e in batch]


def _progress(message: str) -> None:
    """One line on stderr, so that a long run shows where it is."""
    print(f"bench: engine: {message}", file=sys.stderr, flush=True)


def _flatness_marks(options: Options, engine: dict[str, Any], size: int) -> tuple[int, ...]:
    """Where to read RSS in the default run: a million evaluations if that fits in about a
    minute at the engine's warm speed, else as many as fit (`--memory` always does a million)."""
    if options.quick:
        return tuple(max(1, m // 1000) for m in FLATNESS_MARKS)
    if options.memory:
        return FLATNESS_MARKS
    rate = size / engine["second"] if engine.get("second") else 0.0
    top = min(FLATNESS_MARKS[-1], int(rate * FLATNESS_BUDGET) // 10_000 * 10_000)
    if top >= FLATNESS_MARKS[-1]:
        return FLATNESS_MARKS
    top = max(top, 50_000)
    return (top // 10, top // 2, top)


def run(options: Options) -> str:
    """Generate the data, measure every implementation, compare decisions, return markdown."""
    size = options.size or (QUICK_SIZE if options.quick else SIZE)
    trace_size = min(size, TRACE_SIZE)
    ruleset = str(DEFAULT_RULESET)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as folder:
        data_path = str(Path(folder) / "employees.pickle")
        # Generated in a child: Linux keeps ru_maxrss across exec, so a runner that had held the
        # batch would lend every spawned worker its high-water mark and hide their peaks.
        summary, nips = _in_fresh_process(prepare_data, size, options.seed, data_path)
        _progress(f"generated {size:,} employees in {time.perf_counter() - started:.1f} s")
        names = list(IMPLEMENTATIONS)
        limits = {name: None for name in IMPLEMENTATIONS} | {NOCACHE: min(NOCACHE_SIZE, size)}
        timed: dict[str, dict[str, Any]] = {}
        for name in names:
            timed[name] = _attempt(time_worker, name, data_path, ruleset, limits[name])
            _progress(f"{name}: {timed[name].get('elapsed', timed[name].get('error'))}")
        working = [name for name in names if "error" not in timed[name]]
        traces = _parallel_fresh(
            [
                (trace_worker, name, data_path, ruleset, min(limits[name] or size, trace_size))
                for name in working
            ],
            workers=min(2, os.cpu_count() or 1),
        )
        for name, trace in zip(working, traces, strict=True):
            timed[name]["peak"] = trace["peak"]
            timed[name]["traced"] = min(limits[name] or size, trace_size)
        _progress("tracemalloc peaks done")
        flat_repeat: list[dict[str, Any]] | None = None
        flat_fresh: list[dict[str, Any]] | None = None
        if "engine" in working:
            marks = _flatness_marks(options, timed["engine"], size)
            chunk = min(10_000, marks[0])
            flat_repeat = _in_fresh_process(flatness_worker, data_path, ruleset, marks, None, chunk)
            _progress(f"memory over {marks[-1]:,} repeated evaluations done")
            if options.memory:
                flat_fresh = _in_fresh_process(
                    flatness_worker, data_path, ruleset, marks, options.seed + 1, chunk
                )
                _progress(f"memory over {marks[-1]:,} new employees done")
    return _markdown(size, summary, nips, timed, flat_repeat, flat_fresh, options)


def _markdown(
    size: int,
    summary: dict[str, float],
    nips: list[str],
    timed: dict[str, dict[str, Any]],
    flat_repeat: list[dict[str, Any]] | None,
    flat_fresh: list[dict[str, Any]] | None,
    options: Options,
) -> str:
    working = [name for name in timed if "error" not in timed[name]]
    reference_name = working[0] if working else None
    reference: list[Decision] = timed[reference_name]["decisions"] if reference_name else []
    lines = [
        f"Input: {size:,} synthetic employees (`bench/data.py`, seed {options.seed}), "
        f"{summary['ratings']:,.0f} ratings ({summary['ratings_per_employee']:.1f} per employee); "
        f"ekspektasi ratings {summary['share_sesuai_ekspektasi']:.0%} sesuai, "
        f"{summary['share_di_atas_ekspektasi']:.0%} di atas, "
        f"{summary['share_di_bawah_ekspektasi']:.0%} di bawah. "
        "Ruleset: `rules/kinerja-asn-aceh.yaml`.",
        "",
        f"| implementation | employees/s | time | setup | tracemalloc peak "
        f"| peak RSS growth | same decisions as {reference_name} |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    notes: list[str] = []
    for name, row in timed.items():
        if "error" in row:
            lines.append(f"| {name} | failed | | | | | |")
            notes.append(f"- {name} could not run: {row['error']}")
            continue
        n = row["n"]
        if row["decisions"] is None:
            differing, parts, examples, agree = 0, Counter(), [], "n/a (decides nothing)"
        else:
            differing, parts, examples = _agreement(reference[:n], row["decisions"], nips[:n])
            agree = f"{n - differing:,} of {n:,}"
        if differing:
            agree += " (" + ", ".join(f"{p} {c:,}" for p, c in parts.most_common()) + ")"
            notes.append(
                f"- {row['name']} differs from {reference_name} on {differing:,} employees, "
                "e.g. " + "; ".join(examples)
            )
        label = row["name"] if n == size else f"{row['name']} (first {n:,})"
        lines.append(
            f"| {label} | {_rate(n, row['elapsed'])} | {row['elapsed']:.2f} s "
            f"| {row['setup']:.2f} s | {_traced(row)} | {_mib(row['maxrss_growth'])} "
            f"| {agree} |"
        )
    if notes:
        lines += ["", *notes]
    engine = timed.get("engine", {})
    if engine.get("second"):
        lines += [
            "",
            f"The engine's second pass over the same {size:,} employees (decision cache warm): "
            f"{_rate(size, engine['second'])} employees/s.",
        ]
    if reference:
        lines += ["", _decision_mix(reference_name or "", reference)]
    lines += ["", "### Memory flatness", ""]
    if flat_repeat is not None:
        lines.append(_flatness_table("the benchmark batch evaluated again and again", flat_repeat))
    if flat_fresh is not None:
        lines += ["", _flatness_table("every employee new (`--memory`)", flat_fresh)]
    else:
        lines += [
            "",
            "`python -m bench engine --memory` adds the same run with a million new employees.",
        ]
    lines += ["", HOW]
    return "\n".join(lines)


def _decision_mix(name: str, decisions: list[Decision]) -> str:
    """What was decided, so that a reader can see every kind of rule was exercised."""
    predicates = Counter(d.predicate or d.status for d in decisions)
    awards = Counter(a for d in decisions for a in d.awards)
    training = Counter(t for d in decisions for t in d.training)

    def fmt(counter: Counter[str]) -> str:
        return ", ".join(f"{k} {v:,}" for k, v in counter.most_common()) or "none"

    return (
        f"Decisions ({name}): predikat {fmt(predicates)}. Awards: {fmt(awards)}. "
        f"Training: {fmt(training)}."
    )


def _flatness_table(title: str, rows: list[dict[str, Any]]) -> str:
    chunk = min(10_000, rows[1]["evaluations"]) if len(rows) > 1 else 10_000
    lines = [
        f"Engine, {title}, in chunks of {chunk:,}:",
        "",
        "| evaluations | RSS | peak RSS | time evaluating |",
        "|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['evaluations']:,} | {_mib(row['rss'])} | {_mib(row['maxrss'])} "
            f"| {row.get('evaluating', 0.0):.1f} s |"
        )
    return "\n".join(lines)


HOW = """How measured:
- Each implementation runs in a freshly spawned Python process: load and compile the ruleset, warm
  up on 20 other employees ("setup"), then one timed call over the whole batch ("time"); employees/s
  is the batch size over that time. The engine is called as a bulk caller does,
  `evaluate(ruleset, employees, bulk=True)`, and returns the full contract results (aspects,
  explanations, consequences); "explain=False" is its bulk mode without explanations;
  "cache=False" keeps no memo and asks durable-rules for every employee (the reference that the
  memos must equal). The peers return their decisions only, so they do less work per employee
  than the engine.
- The oracle is tests/engine/oracle.py, the independent plain-Python calculation. zen-engine and
  rule-engine get the same facts from `bench/facts.py` (ratings combined in Python, as a user of
  those libraries would) and make every level, predikat, award and training decision themselves,
  from rules translated out of the YAML (`bench/zen_peer.py`, `bench/rule_engine_peer.py`).
- Three reference rows decide nothing: the peers' fact building alone (so the libraries' own share
  of their time is their time minus this), a loop that only reads every rating's fields, the
  ceiling for any evaluator written in Python on this input and machine, and a copy of the
  engine's finished results into fresh dicts and lists (results made untimed beforehand): the
  cost of handing out one result of the contract's shape (aspects with counts and shares,
  explanation entries with their inputs), deciding nothing.
- tracemalloc peak: peak of memory allocated through Python's allocator during one call, in a
  separate process because tracing slows every allocation; it includes the returned results and
  excludes native heaps (durable-rules' C core, zen's Rust); it traces the first 5,000 employees
  (tracing the whole batch would take longer than the rest of the run). Peak RSS growth:
  `ru_maxrss` after the timed call minus before it, in the timing process (native heaps included;
  0 means the call stayed below the peak already reached while loading the data).
- Agreement: status, the level of each aspect, predikat, awards and training, per employee, compared
  with the engine's; an employee counts as different if any of them differs.
- Memory flatness: RSS from /proc/self/statm after a full garbage collection at each mark, in one
  process evaluating in chunks of 10,000. The default run repeats the benchmark batch, up to a
  million evaluations if that fits in about a minute; `--memory` always goes to a million and adds
  a run on a million new employees (slow: generating them dominates).
- The machine may be shared with other work; the load average at the start is in the line above."""
