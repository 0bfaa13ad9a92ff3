"""The interface is complete in nynorsk (the default), bokmål and English.

The catalogs in locale/ are checked as files (translated, placeholders kept, compiled), against the code (a
fresh `makemessages` on a copy of the source finds nothing untranslated), and in use (the front page speaks
nynorsk by default and follows the language switcher).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from conftest import require

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
NORWEGIAN = ["nn", "nb"]
ALL = ["nn", "nb", "en"]
# English is the source language: its catalog may leave msgstr empty, and Django falls back to the msgid.

PERCENT = re.compile(r"%(?:\([^)]+\))?[#0 +\-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]")
NAMED = re.compile(r"%\([^)]+\)[#0 +\-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")
BRACE = re.compile(r"\{[^{}]*\}")


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.mo"


def catalog(language: str) -> polib.POFile:
    path = po_path(language)
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `make messages`"
    return polib.pofile(str(path))


def where(entry: polib.POEntry) -> str:
    places = ", ".join(f"{file}:{line}" for file, line in entry.occurrences[:3])
    return f"{entry.msgid!r} ({places or 'no occurrence'})"


def untranslated(po: polib.POFile) -> list[str]:
    """Entries a person would see in English: empty, partly empty (plurals) or fuzzy (ignored by msgfmt)."""
    return [where(entry) for entry in po if not entry.obsolete and not entry.translated()]


# (a) Every entry is translated, and none is fuzzy.


@pytest.mark.parametrize("language", NORWEGIAN)
def test_norwegian_catalogs_are_complete(language):
    po = catalog(language)
    assert len([entry for entry in po if not entry.obsolete]) > 0
    missing = untranslated(po)
    assert not missing, f"{len(missing)} untranslated in {language}:\n" + "\n".join(missing)
    fuzzy = [where(entry) for entry in po if "fuzzy" in entry.flags]
    assert not fuzzy, f"fuzzy in {language}:\n" + "\n".join(fuzzy)
    assert not po.metadata_is_fuzzy, f"the header of the {language} catalog is marked fuzzy"
    assert po.metadata.get("Language") == language
    assert po.metadata.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"


def test_english_catalog_exists_and_has_no_fuzzy_entries():
    po = catalog("en")
    assert mo_path("en").exists()
    assert po.metadata.get("Language") == "en"
    assert not [where(entry) for entry in po if "fuzzy" in entry.flags]


def test_norwegian_catalogs_hold_the_same_messages_as_english():
    ids = {language: {(e.msgctxt, e.msgid) for e in catalog(language) if not e.obsolete} for language in ALL}
    assert ids["nn"] == ids["nb"] == ids["en"], "run makemessages for all three languages"


# (b) Every placeholder in a msgid is in its msgstr, and the msgstr brings no placeholder of its own.


def placeholders(entry: polib.POEntry, text: str) -> list[str]:
    found = NAMED.findall(text)
    if "python-format" in entry.flags:
        found = [p for p in PERCENT.findall(text) if p != "%%"]
    if "python-brace-format" in entry.flags:
        found += BRACE.findall(text)
    return sorted(found)


def pairs(entry: polib.POEntry):
    """(source, translation) for each form that is translated."""
    if entry.msgid_plural:
        for index, text in sorted(entry.msgstr_plural.items()):
            if text:
                yield (entry.msgid if int(index) == 0 else entry.msgid_plural), text
    elif entry.msgstr:
        yield entry.msgid, entry.msgstr


@pytest.mark.parametrize("language", ALL)
def test_placeholders_are_kept(language):
    wrong = []
    for entry in catalog(language):
        if entry.obsolete:
            continue
        for source, translation in pairs(entry):
            expected, got = placeholders(entry, source), placeholders(entry, translation)
            if expected != got:
                wrong.append(f"{where(entry)}: {expected} in the msgid, {got} in {translation!r}")
    assert not wrong, f"placeholders differ in {language}:\n" + "\n".join(wrong)


def test_the_placeholder_check_sees_a_lost_placeholder():
    entry = polib.POEntry(msgid="%(name)s kommune", msgstr="kommune", flags=["python-format"])
    [(source, translation)] = pairs(entry)
    assert placeholders(entry, source) == ["%(name)s"]
    assert placeholders(entry, translation) == []


# (c) The compiled .mo on disk holds exactly what the .po says (make messages was run after the last edit).


def messages_in(entries) -> dict:
    messages = {}
    for entry in entries:
        if entry.obsolete or not entry.msgid:
            continue
        if isinstance(entry, polib.POEntry) and not entry.translated():  # msgfmt leaves these out
            continue
        if entry.msgid_plural:
            value = tuple(text for _index, text in sorted((int(i), t) for i, t in entry.msgstr_plural.items()))
            messages[(entry.msgctxt, entry.msgid, entry.msgid_plural)] = value
        else:
            messages[(entry.msgctxt, entry.msgid, None)] = entry.msgstr
    return messages


@pytest.mark.parametrize("language", ALL)
def test_compiled_catalog_matches_the_po(language):
    path = mo_path(language)
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `make messages`"
    in_po = messages_in(catalog(language))
    in_mo = messages_in(polib.mofile(str(path)))
    stale = sorted(str(key[1]) for key in in_po.keys() ^ in_mo.keys()) + sorted(
        str(key[1]) for key in in_po.keys() & in_mo.keys() if in_po[key] != in_mo[key]
    )
    assert not stale, f"{path.relative_to(ROOT)} is out of date, run compilemessages; differs in:\n" + "\n".join(stale)


# (d) The catalogs cover the code: a fresh extraction from a copy of the source finds nothing untranslated.

GETTEXT_TOOLS = ("xgettext", "msgmerge", "msguniq", "msgattrib")
NOT_SOURCE = {".venv", ".git", "static", "staticfiles", "var", "media", "node_modules", "test-artifacts"}


def copy_source(target: Path) -> None:
    """The project's Python packages (every app, present and future), templates, locale and the root scripts."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for item in ROOT.iterdir():
        if item.name in NOT_SOURCE or item.name.startswith("."):
            continue
        if item.is_dir() and (item.name in ("templates", "locale") or (item / "__init__.py").exists()):
            shutil.copytree(item, target / item.name, ignore=ignore)
        elif item.is_file() and item.suffix == ".py":
            shutil.copy2(item, target / item.name)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_string_in_the_code_is_translated(tmp_path):
    absent = [tool for tool in GETTEXT_TOOLS if not shutil.which(tool)]
    require(not absent, f"needs GNU gettext ({', '.join(absent)} not found)")
    copy = tmp_path / "src"
    copy.mkdir()
    copy_source(copy)
    before = {language: digest(po_path(language)) for language in NORWEGIAN}
    for language in NORWEGIAN:  # proves below that makemessages wrote into the copy, not into the project
        os.utime(copy / "locale" / language / "LC_MESSAGES" / "django.po", ns=(0, 0))

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PYTHONPATH")}
    env.update({"DJANGO_SETTINGS_MODULE": "luk_portal.settings.base", "PYTHONPATH": str(copy)})
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", *(f"-l{language}" for language in NORWEGIAN),
         "--no-obsolete", "--ignore=.venv", "--ignore=staticfiles", "--ignore=static"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=60,  # about 2 s on a workstation
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr

    for language in NORWEGIAN:
        fresh = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        assert fresh.stat().st_mtime_ns > 0, f"makemessages did not write {language} in the copy"
        assert digest(po_path(language)) == before[language], "makemessages touched the project's own catalog"
        missing = untranslated(polib.pofile(str(fresh)))
        assert not missing, (
            f"{len(missing)} string(s) in the code have no {language} translation; run `make messages`, "
            f"translate locale/{language}/LC_MESSAGES/django.po and compile:\n" + "\n".join(missing)
        )


# The catalogs in use: nynorsk by default, then whatever the language switcher chose.


def front_page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def choose(client, language: str) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies["luk_language"].value == language


def test_front_page_is_nynorsk_by_default(client, db):
    html = front_page(client)
    assert '<html lang="nn">' in html
    assert "Hopp til hovudinnhaldet" in html
    assert "Endre språk" in html
    assert "Logg inn" in html
    assert "Skip to main content" not in html


def test_front_page_follows_the_language_switcher(client, db):
    choose(client, "nb")
    html = front_page(client)
    assert '<html lang="nb">' in html
    assert "Hopp til hovedinnholdet" in html
    assert "Hopp til hovudinnhaldet" not in html
    assert "Velkommen" in html

    choose(client, "en")
    html = front_page(client)
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    assert "Change language" in html
    assert "Hopp til" not in html

    choose(client, "nn")
    html = front_page(client)
    assert '<html lang="nn">' in html
    assert "Hopp til hovudinnhaldet" in html
    assert "Velkomen" in html
