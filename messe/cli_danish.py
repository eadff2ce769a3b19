"""argparse's own texts (usage, headings, errors) in Danish, so ``messe --help`` is Danish throughout.

argparse looks its texts up through the module-level ``_`` and ``ngettext`` names at call time
(it has no other hook for them); :func:`install` points those at this table.
"""

from __future__ import annotations

import argparse

DANISH = {
    "usage: ": "brug: ",
    "positional arguments": "argumenter",
    "options": "tilvalg",
    "subcommands": "underkommandoer",
    "show this help message and exit": "vis denne hjælp og afslut",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fejl: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "disse argumenter mangler: %s",
    "one of the arguments %s is required": "et af argumenterne %s skal angives",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "unexpected option string: %s": "uventet tilvalg: %s",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydigt tilvalg: %(option)s kan betyde %(matches)s",
    "not allowed with argument %s": "kan ikke bruges sammen med %s",
    "ignored explicit argument %r": "overflødig værdi %r ignoreret",
    "expected one argument": "forventede én værdi",
    "expected at most one argument": "forventede højst én værdi",
    "expected at least one argument": "forventede mindst én værdi",
    "invalid %(type)s value: %(value)r": "ugyldig værdi: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "ugyldigt valg: %(value)r (vælg blandt %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "ukendt kommando %(parser_name)r (vælg blandt "
                                                            "%(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan ikke åbne '%(filename)s': %(error)s",
}
DANISH_PLURAL = {
    ("expected %s argument", "expected %s arguments"): ("forventede %s værdi", "forventede %s værdier"),
}


def gettext(text: str) -> str:
    return DANISH.get(text, text)


def ngettext(singular: str, plural: str, count: int) -> str:
    one, many = DANISH_PLURAL.get((singular, plural), (singular, plural))
    return one if count == 1 else many


def install() -> None:
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
