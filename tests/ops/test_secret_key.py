"""The generated session key: one per instance even when processes start together."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

import config


def _key(folder: str) -> str:
    return config.secret_key(Path(folder))


def test_processes_starting_together_agree_on_one_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    with multiprocessing.get_context("spawn").Pool(8) as pool:
        keys = pool.map(_key, [str(instance)] * 32)
    assert len(set(keys)) == 1
    assert len(keys[0]) == 64
    assert (instance / "secret_key").read_text() == keys[0]
    assert (instance / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no drafts left behind


def test_key_from_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "dari-lingkungan")
    assert config.secret_key(tmp_path) == "dari-lingkungan"
    assert not (tmp_path / "secret_key").exists()
