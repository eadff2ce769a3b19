"""Every message with a count reads right for one and for many, in Danish and in English.

Reads every ``ngettext(…)`` and ``plural_forms(…)`` in the templates and every counted message in
the Python sources (``translate_plural``, ``flash(…, plural=…)``, and ``Counted(…)``, the counted
texts of the scripts in static/js), checks both English forms exist with the same placeholders,
renders each for 1 and for 2 in both languages, and fails on a ``{count}`` message still written
with one form only, in the templates, the Python sources or the scripts' text tables. The command
line's counted messages (``danish = ngettext_for("da")``) are Danish only and are checked in
Danish. The scripts themselves fill a count into a text only through ``counted`` (static/js/language.js),
which picks the form the server's ngettext would: the browser test is in
tests/app/test_counts_in_the_browser.py.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from messe.checkin.interfaces import pages as door_pages
from messe.expo.interfaces import leads_pages
from messe.i18n import Counted, ngettext_for, plural_forms, translations
from messe.programme.interfaces.pages import APP_TEXTS
from messe.scanning.interfaces import pages as scanner_pages
from messe.web.templates import TEMPLATE_DIR
from tests.test_i18n_english import MESSE, messages_in_python, texts_in_templates

QUOTED = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
TEMPLATE_PLURAL = re.compile(r"(?:ngettext|plural_forms)\(\s*" + QUOTED + r"\s*,\s*" + QUOTED)
SCRIPTS = MESSE.parent / "static" / "js"
# The tables of texts the scripts show, as the pages hand them over (messe.web.templates.script_texts).
SCRIPT_TABLES = {"app": APP_TEXTS, "scan": {**scanner_pages.SCANNER_TEXT, **door_pages.DOOR_TEXT,
                                            **leads_pages.LEAD_TEXT}}
# {count} messages where the count governs no noun or verb, so one form fits every count.
ONE_FORM = {
    "Alle telefoner ({count} forbundet nu)",  # "All phones (1 connected now)"
    "Badges: {count} stk.",
    "… og {count} mere.",
    "Mailserveren afviste {count}: {names}",
    "Regnearket har for mange dele ({count}); højst {max} kan læses",
    "Ukendte felter i forespørgslen: {count}",
    "Ugyldige oplysninger ({count} fejl; de første {shown} er vist)",  # only ever more than ten
    "{name} ({count} pladser)",  # a stage's capacity; no stage has one seat (the talk form is being rewritten)
}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _danish_only(tree: ast.Module) -> set[str]:
    """The names a module binds to ``ngettext_for("da")``: its counted messages are Danish only."""
    return {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call) and getattr(node.value.func, "id", None) == "ngettext_for"
            and [getattr(a, "value", None) for a in node.value.args] == ["da"]
            for target in node.targets if isinstance(target, ast.Name)}


def danish_plural_messages() -> dict[tuple[str, str], str]:
    """The counted messages only ever shown in Danish (the command line, layout file checks): the
    calls of a ``danish = ngettext_for("da")``, and the (…, singular, plural) tables they read."""
    found = {}
    for path in MESSE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        names = _danish_only(tree)
        if not names:
            continue
        for node in ast.walk(tree):
            texts = []
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in names:
                texts = [a.value for a in node.args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            elif isinstance(node, ast.Tuple):
                texts = [e.value for e in node.elts[-2:] if isinstance(e, ast.Constant) and isinstance(e.value, str)
                         and "{count}" in e.value]
            if len(texts) == 2:
                found[texts[0], texts[1]] = str(path.relative_to(MESSE))
    return found


def plural_messages() -> dict[tuple[str, str], str]:
    """Every (singular, plural) pair a person can be shown in both languages, with where it is."""
    found = {}
    for path in TEMPLATE_DIR.rglob("*.html"):
        for match in TEMPLATE_PLURAL.finditer(path.read_text()):
            singular = match.group(1) if match.group(1) is not None else match.group(2)
            plural = match.group(3) if match.group(3) is not None else match.group(4)
            found[singular, plural] = str(path.relative_to(MESSE))
    for path in MESSE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if name == "translate_plural" and len(texts) >= 2:
                found[texts[0], texts[1]] = str(path.relative_to(MESSE))
            plural = next((k.value.value for k in node.keywords if k.arg == "plural"
                           and isinstance(k.value, ast.Constant)), None)
            if name == "flash" and plural and texts:
                found[texts[0], plural] = str(path.relative_to(MESSE))
            if name == "Counted" and len(texts) == 2:
                found[texts[0], texts[1]] = str(path.relative_to(MESSE))
    return found


def _table_texts(table: dict, prefix: str = "") -> dict[str, str | Counted]:
    """A script text table flattened: "desk.found" -> its text."""
    flat = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_table_texts(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = value
    return flat


def test_every_counted_message_has_both_forms_in_both_languages():
    messages = plural_messages()
    assert len(messages) > 40
    english = translations("en")._plurals
    problems = []
    for (singular, plural), where in sorted(messages.items()):
        forms = english.get((singular, plural))
        if forms is None:
            problems.append(f"{where}: no English plural entry for {singular!r}")
            continue
        names = _placeholders(plural)
        if "count" not in names or any(_placeholders(text) - {"count"} != names - {"count"}
                                       for text in (singular, *forms)):
            problems.append(f"{where}: placeholders differ in {singular!r}")
            continue
        values = {name: f"<{name}>" for name in names - {"count"}}
        for language, one, many in (("da", singular, plural), ("en", *forms)):
            render = ngettext_for(language)
            if render(singular, plural, 1, **values) != one.format(count=1, **values):
                problems.append(f"{where}: {language} for 1 of {singular!r}")
            if render(singular, plural, 2, **values) != many.format(count=2, **values):
                problems.append(f"{where}: {language} for 2 of {singular!r}")
    assert problems == []


def test_the_counted_messages_only_shown_in_danish_have_both_forms():
    messages = danish_plural_messages()
    assert {("{count} badge", "{count} badges"), ("{count} side", "{count} sider"),
            ("{count} deltager", "{count} deltagere"),
            ("{count} badge på {size} mm er bredere end arket", "{count} badges på {size} mm er bredere end arket"),
            } <= set(messages)
    da = ngettext_for("da")
    problems = []
    for (singular, plural), where in sorted(messages.items()):
        names = _placeholders(plural)
        if "count" not in names or _placeholders(singular) != names:
            problems.append(f"{where}: placeholders differ in {singular!r}")
            continue
        values = {name: f"<{name}>" for name in names - {"count"}}
        if (da(singular, plural, 1, **values), da(singular, plural, 2, **values)) != (
                singular.format(count=1, **values), plural.format(count=2, **values)):
            problems.append(f"{where}: {singular!r}")
    assert problems == []


def test_the_scripts_get_both_forms_of_every_counted_text_in_the_readers_language():
    counted = {f"{part}:{key}": text for part, table in SCRIPT_TABLES.items()
               for key, text in _table_texts(table).items() if isinstance(text, Counted)}
    assert {"app:shown", "app:exhibitors", "scan:pending", "scan:signOutWaiting", "scan:desk.found"} <= set(counted)
    messages = plural_messages()
    assert all(tuple(text) in messages for text in counted.values())  # so the test above reads them too
    assert plural_forms("da", *counted["app:exhibitors"]) == {"one": "{count} udstiller", "other": "{count} udstillere"}
    assert plural_forms("en", *counted["app:exhibitors"]) == {"one": "{count} exhibitor", "other": "{count} exhibitors"}
    assert plural_forms("en", *counted["scan:desk.found"]) == {"one": "{count} person found",
                                                              "other": "{count} people found"}
    assert plural_forms("en", *counted["app:shown"]) == {"one": "{count} talk shown", "other": "{count} talks shown"}


def test_no_text_of_the_scripts_is_counted_with_one_form():
    one_form = sorted(f"{part}:{key}: {text}" for part, table in SCRIPT_TABLES.items()
                      for key, text in _table_texts(table).items()
                      if isinstance(text, str) and {"count", "n"} & _placeholders(text) and text not in ONE_FORM)
    assert one_form == []


# A script filling a count into a text some other way than ``counted``: text("x", {count}),
# format(text.x, {n: …}), or a count glued to a word ("s" endings, "1 person" written out).
COUNT_FILLED_IN = re.compile(r"""(?:\btext|format|fillIn|markedText)\([^;]*\{\s*(?:count|n)\b"""
                             r"""|\$\{[^}]*(?:length|count)[^}]*\}\s*\w|=== 1 \?""")
COUNTED_BY_NAME = re.compile(r"""countedText\(\s*"(\w+)"|counted\((?:this\.|config\.)?text\.(\w+)""")


def _scripts() -> dict[str, str]:
    return {str(path.relative_to(SCRIPTS)): path.read_text() for path in SCRIPTS.rglob("*.js")}


def test_the_scripts_fill_in_counts_only_through_the_counted_texts():
    scripts = _scripts()
    assert sorted(f"{name}: {match.group(0)}" for name, source in scripts.items()
                  for match in COUNT_FILLED_IN.finditer(source)) == []
    used = {(Path(name).parts[0], key or attribute) for name, source in scripts.items()
            for key, attribute in COUNTED_BY_NAME.findall(source)}
    assert {("app", "shown"), ("app", "exhibitors"), ("scan", "pending"), ("scan", "signOutWaiting"),
            ("scan", "found")} <= used
    counted = {(part, key.rsplit(".", 1)[-1]) for part, table in SCRIPT_TABLES.items()
               for key, text in _table_texts(table).items() if isinstance(text, Counted)}
    assert sorted(used - counted) == []  # each names a text the page hands over with both forms


def test_no_counted_message_is_left_with_one_form():
    singulars = {singular for singular, _ in plural_messages()}  # flash(singular, plural=…) is read as a message
    counted = {text: where for text, where in {**texts_in_templates(), **messages_in_python()}.items()
               if "{count}" in text and text not in singulars}
    assert sorted(f"{where}: {text}" for text, where in counted.items() if text not in ONE_FORM) == []


def test_the_counts_that_read_wrong_before():
    da, en = ngettext_for("da"), ngettext_for("en")
    assert da("{count} stjerne", "{count} stjerner", 1) == "1 stjerne"
    assert en("{count} stjerne", "{count} stjerner", 1) == "1 star"
    assert en("{count} stjerne", "{count} stjerner", 0) == "0 stars"
    assert da("{count} deltager har stjernemarkeret foredraget.", "{count} deltagere har stjernemarkeret foredraget.",
              1) == "1 deltager har stjernemarkeret foredraget."
    assert en("{count} deltager har stjernemarkeret foredraget.", "{count} deltagere har stjernemarkeret foredraget.",
              1) == "1 attendee has starred the talk."
    assert da("hos {count} udstiller", "hos {count} udstillere", 1) == "hos 1 udstiller"
    assert da("{count} mere end pladserne", "{count} flere end pladserne", 1) == "1 mere end pladserne"
    assert en("Version '{version}' er offentliggjort: {count} ændring er sendt til telefonerne",
              "Version '{version}' er offentliggjort: {count} ændringer er sendt til telefonerne", 1,
              version="v2") == "Version 'v2' has been published: 1 change has been sent to the phones"

