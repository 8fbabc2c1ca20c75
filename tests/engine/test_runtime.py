"""Runtime guarantees: threads, session hygiene, two versions side by side, headless import."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from synthetic import employees

from app.engine import CompiledRuleset, compiled_definitions, evaluate, load_ruleset

ROOT = Path(__file__).resolve().parents[2]


def test_threads_give_identical_results(ruleset: CompiledRuleset) -> None:
    people = employees(150, seed=21)
    expected = evaluate(ruleset, people, cache=False)
    with ThreadPoolExecutor(max_workers=6) as pool:
        runs = list(pool.map(lambda i: evaluate(ruleset, people, cache=i % 2 == 0), range(12)))
    assert all(run == expected for run in runs)


def test_a_forked_worker_builds_its_own_host(ruleset: CompiledRuleset) -> None:
    """gunicorn --preload forks after the parent used the engine; the child must still decide."""
    import multiprocessing

    people = employees(40, seed=6)
    expected = evaluate(ruleset, people, cache=False)
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        got = pool.apply(_evaluate_in_child, (ruleset.model.text, people))
    assert got == expected


def _evaluate_in_child(text: str, people: list[dict]) -> list[dict]:
    return evaluate(load_ruleset(text), people, cache=False)


def test_sessions_are_deleted_so_many_evaluations_never_exhaust_durable_rules(
    ruleset: CompiledRuleset,
) -> None:
    """durable-rules allows 1,024 live sessions per ruleset; 3,000 uncached decisions pass."""
    people = employees(500, seed=4)
    assert len(evaluate(ruleset, people, cache=False)) == 500


def test_decision_tables_stay_bounded(ruleset: CompiledRuleset) -> None:
    from app.engine.evaluator import CACHE_LIMIT

    evaluate(ruleset, employees(2000, seed=8))
    sizes = [len(t) for stage in ruleset.runtime.runtimes for t in stage.tables]
    assert max(sizes) <= CACHE_LIMIT
    assert sum(sizes) < 1000  # intervals, not employees


def test_small_decision_tables_are_filled_before_the_first_employee(
    ruleset: CompiledRuleset, monkeypatch
) -> None:
    """Every rule of the shipped ruleset has few enough combinations of its facts' classes to
    be decided when the runtime is built, and every stage but training (nine facts) as a whole:
    evaluating a population then asks durable-rules nothing, and the results are those of
    asking it for every employee (cache=False)."""
    from app.engine import host
    from app.engine.evaluator import EAGER_LIMIT

    fresh = load_ruleset(ruleset.model.text)
    stages = fresh.runtime.runtimes
    assert all(len(table) > 0 for stage in stages for table in stage.tables)
    whole = {stage.stage.kind for stage in stages if stage.whole}
    assert whole == {"levels", "predicate", "awards", "allowance"}
    assert all(len(stage.whole) <= EAGER_LIMIT for stage in stages)
    asked: list[str] = []
    decide = host.decide

    def counted(name, definition, facts):
        asked.append(name)
        return decide(name, definition, facts)

    monkeypatch.setattr(host, "decide", counted)
    people = employees(400, seed=31)
    got = evaluate(fresh, people)
    assert asked == []
    assert got == evaluate(fresh, people, cache=False)
    assert asked  # the plain path asks durable-rules itself


def test_loading_asks_durable_rules_no_more_than_the_budget(
    ruleset: CompiledRuleset, monkeypatch
) -> None:
    """A ruleset whose tables are larger than the budget loads after that many questions; the
    rules left out are decided as employees need them, with the same results."""
    from app.engine import evaluator, host

    questions: list[int] = []
    decide = host.decide

    def counted(name, definition, facts):
        facts = list(facts)
        questions.append(len(facts))
        return decide(name, definition, facts)

    monkeypatch.setattr(host, "decide", counted)
    monkeypatch.setattr(evaluator, "EAGER_BUDGET", 40)
    small = load_ruleset(ruleset.model.text)
    assert 0 < sum(questions) <= 40
    tables = [table for stage in small.runtime.runtimes for table in stage.tables]
    assert any(tables) and not all(tables)
    questions.clear()
    people = employees(300, seed=32)
    got = evaluate(small, people)
    assert questions  # the rest are filled while evaluating
    assert got == evaluate(small, people, cache=False)


def test_two_versions_live_side_by_side(default_text: str, ruleset: CompiledRuleset) -> None:
    changed = default_text.replace("sangat_baik: 150", "sangat_baik: 140")
    other = load_ruleset(changed)
    assert other.checksum != ruleset.checksum
    person = employees(1, seed=2)
    person[0]["employee"]["jabatan"] = "fungsional"
    person[0]["levels"] = {
        "hasil_kerja": "di_atas_ekspektasi",
        "perilaku_kerja": "di_atas_ekspektasi",
    }
    assert evaluate(other, person)[0]["consequences"]["angka_kredit_percent"] == 140
    assert evaluate(ruleset, person)[0]["consequences"]["angka_kredit_percent"] == 150
    again = load_ruleset(default_text)
    assert evaluate(again, person) == evaluate(ruleset, person)


def test_compiled_rulesets_are_plain_printable_data_named_by_checksum(ruleset) -> None:
    definitions = compiled_definitions(ruleset)
    text = json.dumps(definitions, sort_keys=True)
    assert all(name.startswith(f"kinerja-{ruleset.checksum[:16]}-") for name in definitions)
    assert "predikat.di_atas_ekspektasi.di_atas_ekspektasi" in text
    assert "$gte" in text and "eval" not in text
    assert compiled_definitions(load_ruleset(ruleset.model.text)) == definitions


def test_engine_imports_no_web_or_database_package() -> None:
    """Import the engine package on its own (the app package's own __init__ is the web's)."""
    code = (
        "import sys, types\n"
        f"pkg = types.ModuleType('app'); pkg.__path__ = [{str(ROOT / 'app')!r}]\n"
        "sys.modules['app'] = pkg\n"
        "import app.engine\n"
        "bad = [m for m in ('flask', 'flask_appbuilder', 'sqlalchemy') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == ""


def test_the_application_imports_only_the_engines_public_api() -> None:
    """Outside `app/engine/`, code imports `app.engine` itself, never one of its modules: the
    engine's inside can change without touching the application."""
    import ast

    reached = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        if (ROOT / "app" / "engine") in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            reached += [
                f"{path.relative_to(ROOT)}: {n}" for n in names if n.startswith("app.engine.")
            ]
    assert reached == []


def test_evaluation_keeps_input_order_and_nip(ruleset: CompiledRuleset) -> None:
    people = employees(50, seed=9)
    assert [r["nip"] for r in evaluate(ruleset, people)] == [p["nip"] for p in people]


def test_results_share_no_mutable_part(ruleset: CompiledRuleset) -> None:
    """Two results of the same input are equal and share no dict or list (the explanations'
    condition trees included): a caller may change one without touching the other or the
    engine's memos."""
    from bench.data import employees

    person = employees(1, seed=5)[0]
    first, second = evaluate(ruleset, [person, person])
    assert first == second

    def containers(tree: object, out: dict[int, object]) -> dict[int, object]:
        if isinstance(tree, dict | list):
            out[id(tree)] = tree
            for value in tree.values() if isinstance(tree, dict) else tree:
                containers(value, out)
        return out

    assert not containers(first, {}).keys() & containers(second, {}).keys()
    condition = first["explanation"][0]["condition"]
    condition["changed"] = True
    (third,) = evaluate(ruleset, [person])
    assert third == second and "changed" not in third["explanation"][0]["condition"]
