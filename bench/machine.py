"""The machine a figure was measured on: CPU, cores, RAM, Python and package versions.

Benchmark figures are only comparable on the same hardware and software, so every section of
docs/benchmarks.md carries these facts next to its numbers.
"""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path


def cpu_model() -> str:
    """CPU model name from /proc/cpuinfo (Linux), else what `platform` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def ram_gib() -> float | None:
    """Total RAM in GiB from /proc/meminfo, or None where that file does not exist."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def load_average() -> str:
    """The 1-minute load average when the run started: other work on the machine skews timings."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "n/a"


def package_version(name: str) -> str:
    """Installed version of a distribution, or 'not installed'."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def now_utc() -> str:
    """The date and time of the run, in UTC, to the minute."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def describe(packages: tuple[str, ...] = ()) -> str:
    """One markdown line naming the machine, the date and the versions that matter to a section."""
    ram = ram_gib()
    ram_text = f"{ram:.1f} GiB RAM" if ram is not None else "RAM unknown"
    parts = [
        now_utc(),
        f"{cpu_model()}, {os.cpu_count()} cores, {ram_text}",
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}",
        f"load average {load_average()} at start",
    ]
    if packages:
        parts.append(", ".join(f"{name} {package_version(name)}" for name in packages))
    return "Measured " + "; ".join(parts) + "."
