"""The Swedish catalogue covers every string in the code and the compiled .mo matches it.

When a test here fails: run `scripts/messages.sh`, translate every new or empty msgstr
in locale/sv/LC_MESSAGES/django.po (and remove any "#, fuzzy" flag), then run the script
again so that django.mo is rebuilt.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation

PROJECT_DIR = Path(django_settings.BASE_DIR)
COMMITTED_PO = PROJECT_DIR / "locale" / "sv" / "LC_MESSAGES" / "django.po"
COMMITTED_MO = COMMITTED_PO.with_suffix(".mo")
IGNORED_DIRS = [".venv", ".tools", "node_modules", "staticfiles"]
FIX = "Run scripts/messages.sh, translate the new strings in {po}, then run it again."

missing_tools = [t for t in ("xgettext", "msgmerge", "msguniq", "msgfmt") if not shutil.which(t)]
needs_gettext = pytest.mark.skipif(
    bool(missing_tools),
    reason=f"GNU gettext is not installed (missing: {', '.join(missing_tools)})",
)


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def parse_po(path: Path) -> list[Entry]:
    """Just enough of the PO format for these checks; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    for block in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8").strip()):
        flags: set[str] = set()
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _, quoted = line.partition(" ")
                fields[current] = ast.literal_eval(quoted)
        if "msgid" not in fields:
            continue
        msgstrs = [v for k, v in fields.items() if k.startswith("msgstr")]
        entries.append(Entry(fields["msgid"], fields.get("msgctxt"), msgstrs, flags))
    return entries


def _copy_project(target: Path) -> None:
    shutil.copytree(
        PROJECT_DIR,
        target,
        ignore=shutil.ignore_patterns(
            *IGNORED_DIRS, ".git", "__pycache__", ".*_cache", "*.sqlite3", "*.db", "*.mo"
        ),
    )


@needs_gettext
def test_every_string_in_the_code_has_a_swedish_translation(tmp_path, settings, monkeypatch):
    copy = tmp_path / "project"
    _copy_project(copy)
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]

    call_command(
        "makemessages",
        locale=["sv"],
        no_location=True,
        no_obsolete=True,
        ignore_patterns=IGNORED_DIRS,
        verbosity=0,
        stdout=StringIO(),
    )

    fix = FIX.format(po=COMMITTED_PO.relative_to(PROJECT_DIR))
    fresh = [e for e in parse_po(copy / COMMITTED_PO.relative_to(PROJECT_DIR)) if e.msgid]
    committed = {e.key for e in parse_po(COMMITTED_PO) if e.msgid}
    new = sorted(e.msgid for e in fresh if e.key not in committed)
    gone = sorted(msgid for ctxt, msgid in committed - {e.key for e in fresh})
    untranslated = sorted(e.msgid for e in fresh if not all(e.msgstrs))
    fuzzy = sorted(e.msgid for e in fresh if "fuzzy" in e.flags)
    assert not new, f"Strings in the code missing from the catalogue: {new}. {fix}"
    assert not gone, f"Strings in the catalogue no longer in the code: {gone}. {fix}"
    assert not untranslated, f"Strings without a Swedish translation: {untranslated}. {fix}"
    assert not fuzzy, f"Fuzzy (unchecked) translations: {fuzzy}. {fix}"


def test_the_committed_catalogue_has_no_empty_or_fuzzy_entries():
    entries = parse_po(COMMITTED_PO)
    fix = FIX.format(po=COMMITTED_PO.relative_to(PROJECT_DIR))
    untranslated = [e.msgid for e in entries if e.msgid and not all(e.msgstrs)]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"Strings without a Swedish translation: {untranslated}. {fix}"
    assert not fuzzy, f"Fuzzy (unchecked) translations: {fuzzy}. {fix}"


@needs_gettext
def test_the_committed_mo_is_compiled_from_the_committed_po(tmp_path):
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(COMMITTED_PO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert COMMITTED_MO.exists(), "django.mo is missing: run scripts/messages.sh."
    with compiled.open("rb") as fresh, COMMITTED_MO.open("rb") as committed:
        fresh_catalog = gettext.GNUTranslations(fresh)._catalog
        committed_catalog = gettext.GNUTranslations(committed)._catalog
    assert committed_catalog == fresh_catalog, "django.mo is out of date: run scripts/messages.sh."


def test_the_interface_speaks_swedish():
    with translation.override("sv"):
        assert translation.gettext("Log in") == "Logga in"
        assert translation.gettext("The plan") == "Planen"
