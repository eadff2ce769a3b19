"""Fitting a name into its box: the largest size that fits on one line or, if bigger, two.

Widths grow linearly with the font size, so each way of breaking the text is measured once at
1 pt and the size that fits follows by division. A single word too long even at the smallest
size is squeezed horizontally rather than cut: the printed name is the authority.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from messe.badges.domain.fonts import FontChain, Run, is_rtl, visual_order

LEADING = 1.15  # line height as a multiple of the font size
PREFER_FEWER_LINES = 1.25  # a break must make the text this much larger to be worth it


@dataclass(frozen=True)
class Line:
    runs: list[Run]
    width: float  # at 1 pt


@dataclass(frozen=True)
class Fitted:
    lines: list[Line]
    size: float
    scale: float = 1.0  # horizontal squeeze, 1.0 when the text fits as it is


_CUT = re.compile(r" |(?<=-)(?=[^ ])")  # at a space (dropped), or after a hyphen


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def breaks(text: str) -> list[tuple[str, str]]:
    """Every way of cutting ``text`` into two lines: at spaces, after hyphens, between CJK characters."""
    wide = {char for char in set(text) if _is_cjk(char)}
    if not wide:  # the same cuts, found by the regex engine
        options = [(text[: m.start()], text[m.end() :]) for m in _CUT.finditer(text, 1)]
        return [(a.strip(), b.strip()) for a, b in options if a.strip() and b.strip()]
    options = []
    for i in range(1, len(text)):
        before, char = text[i - 1], text[i]
        if char == " ":
            options.append((text[:i], text[i + 1 :]))
        elif before == "-" or (before in wide and char in wide):
            options.append((text[:i], text[i:]))
    return [(a.strip(), b.strip()) for a, b in options if a.strip() and b.strip()]


def _line(text: str, chain: FontChain) -> Line:
    runs = chain.runs(visual_order(text))
    return Line(runs, chain.width(runs, 1.0))


def fit_text(text: str, chain: FontChain, width: float, height: float, max_size: float,
             min_size: float, max_lines: int) -> Fitted:
    """Lines and size for ``text`` in a box of ``width`` × ``height`` points."""
    text = " ".join(text.split())
    first = chain.names[0]
    if not is_rtl(text) and chain.coverage[0].issuperset(text):
        # One font, left to right (most names): measure each break without building its lines.
        candidates = [[Line([(first, text)], stringWidth(text, first, 1.0))]]
        if max_lines >= 2 and (options := breaks(text)):
            a, b = min(options, key=lambda ab: max(stringWidth(ab[0], first, 1.0), stringWidth(ab[1], first, 1.0)))
            candidates.append([Line([(first, a)], stringWidth(a, first, 1.0)),
                               Line([(first, b)], stringWidth(b, first, 1.0))])
    else:
        candidates = [[_line(text, chain)]]
        if max_lines >= 2:
            splits = [[_line(a, chain), _line(b, chain)] for a, b in breaks(text)]
            if splits:
                candidates.append(min(splits, key=lambda lines: max(line.width for line in lines)))

    def widest(lines: list[Line]) -> float:
        return max(line.width for line in lines) or 1.0

    def size_for(lines: list[Line]) -> float:
        return min(max_size, width / widest(lines), height / (len(lines) * LEADING))

    best = candidates[0]
    if len(candidates) == 2 and size_for(candidates[1]) > size_for(best) * PREFER_FEWER_LINES:
        best = candidates[1]
    if size_for(best) >= min_size:
        return Fitted(best, size_for(best))
    tall_enough = [lines for lines in candidates if len(lines) * LEADING * min_size <= height]
    best = min(tall_enough or candidates[:1], key=widest)
    return Fitted(best, min_size, min(1.0, width / (widest(best) * min_size)))
