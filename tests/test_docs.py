"""The project's documentation is its own: nothing outside docs/ cites the notes the project was
started from (they are not in the repository), and every docs/ file the code, templates or README
name exists."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Spelled in pieces so that this file does not match itself.
FORBIDDEN = [name.encode() for name in ("DOMAIN" + ".md", "STYLE" + ".md", "LESSONS" + ".md", "../" + "shared")]
# docs/<file> as a repository path, not the /api/docs/ URL or a docs/ folder on its own.
DOCS_PATH = re.compile(rb"(?<![\w/.-])docs/([\w-]+(?:/[\w-]+)*\.[a-z]+)")


def _tracked_files() -> list[str]:
    try:
        result = subprocess.run(
            ["git", "ls-files", "-z"],  # noqa: S607 - git from PATH, like a developer runs it
            cwd=ROOT,
            capture_output=True,
            check=True,
            timeout=60,
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [name for name in result.stdout.decode().split("\0") if name]


def _contents(outside_docs: bool) -> dict[str, bytes]:
    files = {}
    for name in _tracked_files():
        if outside_docs and name.startswith("docs/"):
            continue
        path = ROOT / name
        if path.is_file():
            files[name] = path.read_bytes()
    return files


def test_no_file_outside_docs_cites_the_external_notes():
    offenders = [
        f"{name}: {needle.decode()}"
        for name, data in _contents(outside_docs=True).items()
        for needle in FORBIDDEN
        if needle in data
    ]
    assert not offenders, "cite docs/ instead:\n" + "\n".join(offenders)


def test_every_docs_file_named_exists():
    named: dict[str, set[str]] = {}
    for name, data in _contents(outside_docs=False).items():
        for match in DOCS_PATH.finditer(data):
            named.setdefault(match.group(1).decode(), set()).add(name)
    assert "domain.md" in named, "the code cites docs/domain.md"
    missing = {doc: sorted(where) for doc, where in named.items() if not (ROOT / "docs" / doc).is_file()}
    assert not missing, f"docs/ files named but missing: {missing}"


def test_the_domain_sections_cited_exist():
    """A citation "docs/domain.md, <Section>" (or "docs/domain.md: <Section>, …") names a heading."""
    headings = re.findall(r"^#{2,3} (.+)$", (ROOT / "docs" / "domain.md").read_text(encoding="utf-8"), re.M)
    citation = re.compile(r"docs/domain\.md(?:, |: )(.{0,80})", re.S)
    unknown = set()
    for name, data in _contents(outside_docs=True).items():
        if name == "tests/test_docs.py":
            continue  # its own docstrings show the form of a citation
        for match in citation.finditer(data.decode("utf-8", errors="replace")):
            # The section may continue on the next line of a comment or docstring.
            text = re.sub(r"\s*\n\s*(?:#\s*)?", " ", match.group(1))
            if not any(text.startswith(heading) for heading in headings):
                unknown.add(f"{name}: {text[:40]}")
    assert not unknown, f"not a heading of docs/domain.md: {sorted(unknown)}"
