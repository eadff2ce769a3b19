"""Every page text and every message a person is shown, anywhere in messe, reads in English too.

Scans all templates for ``_("…")`` and all Python sources for the calls that carry a Danish
message to a person (errors, refusals, flashes, import problems), so a new text without its
translation fails here, whichever domain it lives in. Texts kept in tables (the scanner scripts'
messages, section names, roles) are checked with ``tests.translations.untranslated`` by their domain's tests.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

from messe.web.templates import TEMPLATE_DIR
from tests.translations import untranslated

MESSE = Path(__file__).resolve().parents[1] / "messe"
TEMPLATE_TEXT = re.compile(r"""_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
# Calls whose first arguments (or ``not_found=``) carry a Danish message for a person; a ValueError
# does so in the interfaces, where it is a form or schema validator's answer.
MESSAGE_CALLS = {"ApiError", "translate", "flash", "invalid", "not_found", "conflict", "of", "refused_badge",
                 "problem", "bad", "Problem", "RowError", "_upload_page"}
INTERFACE_MESSAGE_CALLS = MESSAGE_CALLS | {"ValueError"}


def texts_in_templates() -> dict[str, str]:
    return {double or single: str(path.relative_to(MESSE)) for path in TEMPLATE_DIR.rglob("*.html")
            for double, single in TEMPLATE_TEXT.findall(path.read_text())}


def _message_arguments(call: ast.Call) -> Iterable[ast.expr]:
    for arg in [*call.args[:3], *(k.value for k in call.keywords if k.arg == "not_found")]:
        yield from (arg.body, arg.orelse) if isinstance(arg, ast.IfExp) else (arg,)


def messages_in_python() -> dict[str, str]:
    found = {}
    for path in MESSE.rglob("*.py"):
        calls = INTERFACE_MESSAGE_CALLS if "interfaces" in path.parts else MESSAGE_CALLS
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in calls and not any(k.arg == "not_found" for k in node.keywords):
                continue
            for arg in _message_arguments(node):
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and " " in arg.value:
                    found[arg.value] = str(path.relative_to(MESSE))
    return found


def test_every_text_shown_to_a_person_has_an_english_translation():
    texts = {**texts_in_templates(), **messages_in_python()}
    assert len(texts) > 500
    assert [f"{texts[text]}: {text}" for text in untranslated(texts)] == []
