"""The benchmark runs and its implementations agree, at smoke size (no timing is asserted)."""

from __future__ import annotations

from pathlib import Path

from bench import data, report
from bench.__main__ import main
from bench.engine import agreement_in_process


def test_generated_employees_are_reproducible_and_look_like_a_period():
    first = data.employees(200, seed=5)
    assert first == data.employees(200, seed=5)
    assert first != data.employees(200, seed=6)
    summary = data.describe(first)
    assert 35 <= summary["ratings_per_employee"] <= 45
    assert summary["share_sesuai_ekspektasi"] > 0.6
    assert summary["share_di_atas_ekspektasi"] > summary["share_di_bawah_ekspektasi"] > 0.02


def test_a_run_replaces_only_its_own_section():
    before = report.merge("", {"engine": "## Engine\n\nold figures", "http": "## HTTP\n\nkept"})
    after = report.merge(before, {"engine": "## Engine\n\nnew figures"})
    assert "new figures" in after and "old figures" not in after
    assert "## HTTP\n\nkept" in after
    assert after.index("## Engine") < after.index("## HTTP")
    assert report.merge(after, {"engine": "## Engine\n\nnew figures"}) == after


def test_engine_oracle_and_peers_make_the_same_decisions_on_a_small_batch():
    assert agreement_in_process(150, seed=11) == {
        "engine": 0,
        "engine-bulk": 0,
        "oracle": 0,
        "zen-engine": 0,
        "rule-engine": 0,
        "engine-nocache": 0,
    }


def test_the_runner_writes_an_engine_section_at_smoke_size(tmp_path: Path):
    output = tmp_path / "benchmarks.md"
    output.write_text(report.merge("", {"http": "## HTTP latency\n\nmeasured elsewhere"}))
    assert main(["engine", "--quick", "--size", "40", "--output", str(output)]) == 0
    text = output.read_text()
    assert "## HTTP latency\n\nmeasured elsewhere" in text
    assert "## Rules engine" in text and "Measured " in text
    assert "failed" not in text
