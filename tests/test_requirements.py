"""The top-level requirements.txt is what pip, IDEs and Dependabot find; `make install` installs the
files under requirements/ instead, so requirements.txt must add nothing of its own."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_requirements_txt_is_the_runtime_files_and_nothing_else():
    entries = [line for line in _lines(ROOT / "requirements.txt") if not line.startswith("#")]
    assert entries == ["-r requirements/base.txt", "-r requirements/postgres.txt"]


def test_the_binary_driver_it_suggests_is_the_pinned_version():
    pinned = next(line for line in _lines(ROOT / "requirements" / "postgres.txt") if line.startswith("psycopg2=="))
    version = pinned.removeprefix("psycopg2==")
    suggested = re.findall(r"psycopg2-binary==([\w.]+)", (ROOT / "requirements.txt").read_text(encoding="utf-8"))
    assert suggested == [version]


def test_make_reinstalls_when_it_changes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    stamp = re.search(r"^\$\(BIN\)/\.installed:(.*)$", makefile, re.M)
    assert stamp is not None
    assert "requirements.txt" in stamp.group(1).split()
