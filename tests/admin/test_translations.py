"""Every Danish text of the admin pages has an English translation (messe/locale/en/*.po)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from messe.admin.domain.frab_import import TOO_LONG
from messe.admin.interfaces.sections import SECTIONS
from messe.admin.interfaces.view import ACCOUNT_ROLES, TALK_STATES
from messe.i18n import translations
from messe.people.models import AttendeeRole, OrganisationKind

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_TEXT = re.compile(r"""_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
# Calls whose first argument (or ``template`` keyword) is a Danish message for a person.
MESSAGE_CALLS = {"flash", "translate", "ApiError", "Invalid", "ImportFileError", "problem", "bad", "Problem",
                 "RowError", "_upload_page", "ValueError"}
PYTHON_SOURCES = [*(ROOT / "messe" / "admin").rglob("*.py"), ROOT / "messe" / "people" / "domain" / "imports.py"]


def template_texts() -> set[str]:
    texts = set()
    for path in (ROOT / "messe" / "templates" / "admin").glob("*.html"):
        for double, single in TEMPLATE_TEXT.findall(path.read_text()):
            texts.add(double or single)
    return texts


def python_texts() -> set[str]:
    texts = set()
    for path in PYTHON_SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in MESSAGE_CALLS and not any(k.arg == "not_found" for k in node.keywords):
                continue
            for arg in [*node.args, *(k.value for k in node.keywords if k.arg == "not_found")]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and " " in arg.value:
                    texts.add(arg.value)
                elif isinstance(arg, ast.IfExp):
                    texts.update(a.value for a in (arg.body, arg.orelse) if isinstance(a, ast.Constant))
    return texts


def model_texts() -> set[str]:
    return (set(TOO_LONG.values()) | {s.label for s in SECTIONS} | {s.summary for s in SECTIONS}
            | set(ACCOUNT_ROLES.values()) | set(TALK_STATES.values()) | set(AttendeeRole.ALL)
            | set(OrganisationKind.ALL))


def test_every_admin_text_has_an_english_translation():
    english = translations("en")
    texts = template_texts() | python_texts() | model_texts()
    assert len(texts) > 300
    assert sorted(t for t in texts if t not in english._messages) == []


async def test_admin_pages_in_english(organiser):
    page = await organiser.get("/messe13/admin/attendees?lang=en")
    assert '<html lang="en">' in page.text
    assert "Search by name, organisation or e-mail" in page.text and "Showing 1–40 of 40 attendees" in page.text
    home = await organiser.get("/messe13/admin/?lang=en")
    assert "The fair in numbers" in home.text and "Import attendees" in home.text
