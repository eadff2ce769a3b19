"""Every message with a count reads right for one and for many, in Danish and in English.

Reads every ``ngettext(…)`` in the templates and every counted message in the Python sources
(``translate_plural``, ``flash(…, plural=…)``), checks both English forms exist with the same
placeholders, renders each for 1 and for 2 in both languages, and fails on a ``{count}`` message
still written with one form only.
"""

from __future__ import annotations

import ast
import re
import string

from messe.i18n import ngettext_for, translations
from messe.web.templates import TEMPLATE_DIR
from tests.test_i18n_english import MESSE, messages_in_python, texts_in_templates

QUOTED = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
TEMPLATE_PLURAL = re.compile(r"ngettext\(\s*" + QUOTED + r"\s*,\s*" + QUOTED)
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


def plural_messages() -> dict[tuple[str, str], str]:
    """Every (singular, plural) pair a person can be shown, with where it is."""
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
    return found


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

