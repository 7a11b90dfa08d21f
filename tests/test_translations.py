"""The English catalog is complete, compiled, and covers every string of the code.

Chinese is the source language (the msgids, LANGUAGE_CODE zh-hans); English is a full translation
in locale/en/LC_MESSAGES/django.po, compiled to the committed django.mo by
scripts/compile_messages.py (polib, no GNU gettext needed). The workflow is in the README.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

from accounts.models import Role
from cases.models import Case

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))
FIX = "run `make messages`, translate what it adds in the .po, then `make compile-messages`"


def _entries(catalog: polib.MOFile) -> set[tuple]:
    """What a compiled catalog translates: (context, msgid, plural msgid, translations) per entry."""
    result = set()
    for entry in catalog:
        if entry.msgid_plural:
            msgstr = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        else:
            msgstr = (entry.msgstr,)
        result.add((entry.msgctxt or "", entry.msgid, entry.msgid_plural or "", msgstr))
    return result


def test_there_is_an_english_catalog():
    assert ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po" in CATALOGS


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_entry_is_translated_and_none_is_fuzzy(po_path):
    catalog = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    untranslated += [
        e.msgid for e in catalog if e.msgid_plural and not e.obsolete and not all(e.msgstr_plural.values())
    ]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path.name}: {untranslated}"
    assert not fuzzy, f"fuzzy (check and unmark) in {po_path.name}: {fuzzy}"
    assert not catalog.metadata_is_fuzzy, "the header is marked fuzzy"


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalog_matches_its_source(po_path):
    # Compares content, never file times: a fresh clone gives every file the same time.
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} is missing: {FIX}"
    expected = polib.mofile(str(mo_path))  # parse what is committed
    compiled = polib.mofile(polib.pofile(str(po_path)).to_binary())  # compile the source in memory
    assert _entries(expected) == _entries(compiled), f"{mo_path.relative_to(ROOT)} is out of date: {FIX}"
    assert expected.metadata.get("Plural-Forms") == compiled.metadata.get("Plural-Forms")


def test_model_and_choice_names_translate_to_english():
    with translation.override("en"):
        assert str(Case._meta.verbose_name) == "Case"
        assert str(Role.PROCURATOR.label) == "Procurator"
        assert str(Case.Status.AWAITING_REPLY.label) == "Awaiting reply"
    with translation.override("zh-hans"):
        assert str(Case._meta.verbose_name) == "案件"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (makemessages)")
def test_catalog_has_every_string_of_the_code(tmp_path):
    """Extract the strings again into a copy of the catalog and look for msgids it lacks."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "node_modules",
            "var",
            "staticfiles",
            "tests",
            "bench",
            "docs",
            "*.mo",
            ".*cache*",
            "__pycache__",
        ),
    )
    env = {**os.environ, "DEBUG": "1", "PIL_VAR_DIR": str(tmp_path / "var")}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--ignore=node_modules"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    committed = {e.msgid for e in polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))}
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))}
    missing = sorted(extracted - committed)
    assert not missing, f"strings in the code that the English catalog lacks ({FIX}): {missing}"
