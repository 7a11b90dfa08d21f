"""Compile every locale/*/LC_MESSAGES/*.po into its .mo with polib, without GNU gettext.

    python scripts/compile_messages.py          # write the .mo files that are out of date
    python scripts/compile_messages.py --check  # exit 1 if any .mo is out of date

A .mo is rewritten only when its bytes would change, so running this twice leaves git clean.
Fuzzy and untranslated entries are left out of the .mo, as msgfmt does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogs(root: Path = ROOT) -> list[Path]:
    return sorted((root / "locale").glob("*/LC_MESSAGES/*.po"))


def compile_po(po_path: Path) -> bytes:
    return polib.pofile(str(po_path)).to_binary()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report .mo files that are out of date")
    args = parser.parse_args(argv)

    stale = []
    for po_path in catalogs():
        mo_path = po_path.with_suffix(".mo")
        binary = compile_po(po_path)
        if mo_path.exists() and mo_path.read_bytes() == binary:
            continue
        stale.append(mo_path)
        if not args.check:
            mo_path.write_bytes(binary)
            print(f"compiled {po_path.relative_to(ROOT)} -> {mo_path.name}")
    if args.check and stale:
        for mo_path in stale:
            print(f"out of date: {mo_path.relative_to(ROOT)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
