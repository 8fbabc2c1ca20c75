"""`kinerja rules ...` works headless: no Flask app, no database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from synthetic import employees
from test_validator import FIVE_MISTAKES

from app.cli.rules import rules

ROOT = Path(__file__).resolve().parents[2]


def test_check_passes_on_the_shipped_rules() -> None:
    files = sorted(str(p) for p in (ROOT / "rules").glob("*.yaml"))
    result = CliRunner().invoke(rules, ["check", *files])
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_check_prints_file_line_col_messages_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "salah.yaml"
    bad.write_text(FIVE_MISTAKES, encoding="utf-8")
    result = CliRunner().invoke(rules, ["check", str(bad)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 5
    assert lines[0].startswith(f"{bad}:13:28: Bobot indikator 'DISIPLIN'")


def test_check_uses_the_catalogue_for_indicator_codes(tmp_path: Path) -> None:
    ruleset = (ROOT / "rules" / "kinerja-asn-aceh.yaml").read_text(encoding="utf-8")
    path = tmp_path / "aturan.yaml"
    path.write_text(ruleset.replace("KEPUASAN_PUBLIK: 10", "KEPUASAN_WARGA: 10"), "utf-8")
    catalogue = str(ROOT / "rules" / "indicators.yaml")
    result = CliRunner().invoke(rules, ["check", str(path), "--indicators", catalogue])
    assert result.exit_code == 1
    assert "KEPUASAN_WARGA' tidak ada di katalog" in result.output


def test_check_uses_the_catalogue_for_rater_kinds(tmp_path: Path) -> None:
    ruleset = (ROOT / "rules" / "kinerja-asn-aceh.yaml").read_text(encoding="utf-8")
    path = tmp_path / "aturan.yaml"
    behaviour = "    raters: [supervisor]\n    indicators:\n"
    path.write_text(ruleset.replace(behaviour, "    raters: [public]\n    indicators:\n"), "utf-8")
    catalogue = str(ROOT / "rules" / "indicators.yaml")
    result = CliRunner().invoke(rules, ["check", str(path), "--indicators", catalogue])
    assert result.exit_code == 1
    assert "Jenis penilai 'public' tidak diizinkan katalog indikator" in result.output
    assert CliRunner().invoke(rules, ["check", str(path)]).exit_code == 0


def test_eval_writes_results(tmp_path: Path) -> None:
    source = tmp_path / "ratings.json"
    target = tmp_path / "results.json"
    people = employees(5, seed=1)
    source.write_text(json.dumps({"employees": people}), encoding="utf-8")
    rules_file = str(ROOT / "rules" / "kinerja-asn-aceh.yaml")
    result = CliRunner().invoke(
        rules, ["eval", rules_file, "--input", str(source), "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    results = json.loads(target.read_text(encoding="utf-8"))["results"]
    assert [r["nip"] for r in results] == [p["nip"] for p in people]
    assert {"aspects", "predicate", "awards", "training", "consequences", "fired"} <= set(
        results[0]
    )


def test_eval_with_the_catalogue_refuses_kinds_it_does_not_allow(tmp_path: Path) -> None:
    person = employees(1, seed=1)[0]
    person["ratings"].append({"indicator": "DISIPLIN", "rater": "peer", "value": 4})
    person["employee"].update(jabatan="fungsional", jenjang="ahli_muda")
    person["period"] = {"kind": "tahunan", "months": 12}
    source = tmp_path / "ratings.json"
    source.write_text(json.dumps({"employees": [person]}), encoding="utf-8")
    rules_file = str(ROOT / "rules" / "kinerja-asn-aceh.yaml")
    catalogue = str(ROOT / "rules" / "indicators.yaml")
    plain = CliRunner().invoke(rules, ["eval", rules_file, "--input", str(source)])
    strict = CliRunner().invoke(
        rules, ["eval", rules_file, "--input", str(source), "--indicators", catalogue]
    )
    assert plain.exit_code == strict.exit_code == 0, strict.output
    (loose,) = json.loads(plain.output)["results"]
    (refused,) = json.loads(strict.output)["results"]
    assert loose["status"] == "lengkap"
    assert loose["consequences"]["angka_kredit"] is not None
    assert refused["status"] == "tidak_valid"
    assert "tidak boleh menilai indikator 'DISIPLIN'" in refused["issues"][0]


def test_eval_of_an_invalid_ruleset_exits_1_with_located_lines(tmp_path: Path) -> None:
    bad = tmp_path / "salah.yaml"
    bad.write_text(FIVE_MISTAKES, encoding="utf-8")
    source = tmp_path / "ratings.json"
    source.write_text('{"employees": []}', encoding="utf-8")
    result = CliRunner().invoke(rules, ["eval", str(bad), "--input", str(source)])
    assert result.exit_code == 1
    assert f"{bad}:29:24:" in result.output


def test_distribution_reports_each_unit(tmp_path: Path) -> None:
    units = tmp_path / "units.json"
    units.write_text(
        json.dumps(
            {
                "units": [
                    {"unit": "A", "predicate": "baik", "counts": {"baik": 10}},
                    {"unit": "B", "predicate": "istimewa", "counts": {"sangat_baik": 7, "baik": 3}},
                ]
            }
        ),
        encoding="utf-8",
    )
    rules_file = str(ROOT / "rules" / "kinerja-asn-aceh.yaml")
    result = CliRunner().invoke(rules, ["distribution", rules_file, "--input", str(units)])
    assert result.exit_code == 0, result.output  # strictness: warn
    reports = json.loads(result.output)["units"]
    assert [r["ok"] for r in reports] == [False, True]


def test_distribution_with_strict_setting_fails(tmp_path: Path) -> None:
    text = (ROOT / "rules" / "kinerja-asn-aceh.yaml").read_text(encoding="utf-8")
    strict = tmp_path / "ketat.yaml"
    strict.write_text(text.replace("strictness: warn", "strictness: error"), encoding="utf-8")
    units = tmp_path / "units.json"
    units.write_text(
        json.dumps({"units": [{"unit": "A", "predicate": "baik", "counts": {"baik": 10}}]}),
        encoding="utf-8",
    )
    result = CliRunner().invoke(rules, ["distribution", str(strict), "--input", str(units)])
    assert result.exit_code == 1
