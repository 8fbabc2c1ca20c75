"""`kinerja rules ...`: check, evaluate and distribution-check rulesets without a database.

A plain click group (no Flask app needed), mounted under the `kinerja` CLI. Exit codes follow the
headless contract: 0 when valid (or evaluated), 1 with `FILE:LINE:COL: message` lines otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from app.engine import (
    CompiledRuleset,
    EngineError,
    RulesetError,
    check_distribution,
    evaluate,
    is_catalogue,
    load_indicators,
    load_ruleset,
    validate_catalogue,
    validate_text,
)

rules = click.Group("rules", help="Periksa dan jalankan aturan penilaian kinerja (YAML).")


def _entries(path: str | None) -> list[dict[str, Any]] | None:
    """The catalogue's entries: their codes are checked, and their rater kinds against the
    aspects' `raters`."""
    if path is None:
        return None
    return load_indicators(Path(path))


def _load(path: str, catalogue: str | None = None) -> CompiledRuleset:
    """The compiled ruleset (with the catalogue's rater kinds per indicator, when a catalogue
    is named), or the located issues on stderr and exit code 1."""
    try:
        entries = load_indicators(Path(catalogue)) if catalogue else None
    except RulesetError as exc:
        for issue in exc.issues:
            click.echo(issue.format(str(catalogue)), err=True)
        sys.exit(1)
    try:
        return load_ruleset(Path(path), indicators=entries)
    except RulesetError as exc:
        for issue in exc.issues:
            click.echo(issue.format(path), err=True)
        sys.exit(1)


def _read_json(path: str, key: str) -> list[Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"Tidak dapat membaca {path}: {exc}") from exc
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise click.ClickException(f"{path}: harus berisi objek dengan daftar '{key}'.")
    return items


@rules.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--indicators",
    type=click.Path(exists=True, dir_okay=False),
    help="Katalog indikator untuk memeriksa kode (bawaan: katalog di antara FILE, bila ada).",
)
def check(files: tuple[str, ...], indicators: str | None) -> None:
    """Validate ruleset and catalogue FILEs; print FILE:LINE:COL: message for every problem.

    A file whose top level is `indicators:` is an indicator catalogue; it is checked as one and,
    unless --indicators is given, used to check the rulesets' indicator codes.
    """
    texts = {path: Path(path).read_text(encoding="utf-8") for path in files}
    catalogues = [path for path, text in texts.items() if is_catalogue(text)]
    failed = False
    for path in catalogues:
        issues = validate_catalogue(texts[path])
        for issue in issues:
            click.echo(issue.format(path))
        failed = failed or bool(issues)
    source = indicators or (catalogues[0] if catalogues and not failed else None)
    entries = _entries(source)
    for path, text in texts.items():
        if path in catalogues:
            continue
        issues = validate_text(text, indicators=entries)
        for issue in issues:
            click.echo(issue.format(path))
        failed = failed or bool(issues)
    sys.exit(1 if failed else 0)


@rules.command("eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False),
    help="Tulis hasil ke berkas ini (bawaan: keluaran standar).",
)
@click.option("--no-explain", is_flag=True, help="Tanpa penjelasan per aturan (lebih cepat).")
@click.option(
    "--indicators",
    type=click.Path(exists=True, dir_okay=False),
    help="Katalog indikator: penilaian oleh jenis penilai yang tidak diizinkan katalog untuk "
    "indikatornya membuat hasil pegawai itu tidak valid.",
)
def eval_command(
    file: str, input_path: str, output_path: str | None, no_explain: bool, indicators: str | None
) -> None:
    """Evaluate the employees in --input with ruleset FILE; write {"results": [...]}."""
    ruleset = _load(file, indicators)
    employees = _read_json(input_path, "employees")
    try:
        results = evaluate(ruleset, employees, explain=not no_explain, bulk=True)
    except EngineError as exc:
        raise click.ClickException(str(exc)) from exc
    text = json.dumps({"results": results}, ensure_ascii=False, indent=2)
    if output_path:
        Path(output_path).write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


@rules.command("distribution")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False))
def distribution(file: str, input_path: str) -> None:
    """Check each unit in --input ({"units": [...]}) against FILE's distribution pattern."""
    ruleset = _load(file)
    units = _read_json(input_path, "units")
    try:
        reports = check_distribution(ruleset, units)
    except EngineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps({"units": reports}, ensure_ascii=False, indent=2))
    failing = any(
        finding["severity"] == "error" for report in reports for finding in report["findings"]
    )
    sys.exit(1 if failing else 0)
