"""Fitting names into their box, and picking fonts per script."""

from __future__ import annotations

from reportlab.lib.units import mm

from messe.badges.domain.fonts import font_chain, is_rtl, visual_order
from messe.badges.domain.text import LEADING, fit_text

CHAIN = font_chain("bold")
WIDTH, HEIGHT = 91 * mm, 27 * mm  # the A6 name box


def fit(name: str, max_lines: int = 2):
    return fit_text(name, CHAIN, WIDTH, HEIGHT, 30, 11, max_lines)


def fits(fitted) -> bool:
    widest = max(line.width for line in fitted.lines) * fitted.size * fitted.scale
    return widest <= WIDTH + 0.01 and len(fitted.lines) * fitted.size * LEADING <= HEIGHT + 0.01


def test_a_short_name_is_one_line_at_full_size():
    fitted = fit("Bo Ek")
    assert len(fitted.lines) == 1 and fitted.size == 30 and fitted.scale == 1


def test_a_long_name_shrinks_and_breaks_into_two_lines():
    name = "Anne-Sofie Margrethe Christiansen-Østergaard Fuglsang Kjærgaard"
    fitted = fit(name)
    assert len(fitted.lines) == 2 and 11 < fitted.size < 30 and fitted.scale == 1 and fits(fitted)
    assert fit(name, max_lines=1).size < fitted.size


def test_the_longest_seeded_name_uses_two_lines_and_squeezes_rather_than_overflow():
    name = "Maximilian Frederik Christian Valdemar Rosenkrantz-Gyldenstierne Schackenborg Hvidtfeldt"
    fitted, one_line = fit(name), fit(name, max_lines=1)
    assert len(fitted.lines) == 2 and fits(fitted) and fits(one_line)
    assert fitted.size * fitted.scale > one_line.size * one_line.scale


def test_one_very_long_word_is_squeezed_not_cut():
    fitted = fit("Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessen")
    assert len(fitted.lines) == 1 and fitted.size == 11 and fitted.scale < 1 and fits(fitted)
    assert "".join(text for _, text in fitted.lines[0].runs).startswith("Wolfeschlegel")


def test_cjk_can_break_between_characters():
    fitted = fit("株式会社日立製作所デジタルソリューション事業部", max_lines=2)
    assert len(fitted.lines) == 2 and fits(fitted)


def test_each_script_gets_a_font_that_has_it():
    names = dict(zip(("latin", "arabic", "hebrew", "cjk"), CHAIN.names, strict=False))
    runs = CHAIN.runs("Łukasz 王小明")
    assert runs == [(names["latin"], "Łukasz "), (names["cjk"], "王小明")]
    assert [f for f, _ in CHAIN.runs(visual_order("محمد"))] == [names["arabic"]]
    assert [f for f, _ in CHAIN.runs(visual_order("שרה"))] == [names["hebrew"]]
    for text in ("Ơn Nguyễn Thị Ệ", "Γιώργος", "Анна", "Þórunn Guðmundsdóttir"):
        assert [f for f, _ in CHAIN.runs(text)] == [names["latin"]], text


def test_arabic_is_shaped_and_put_in_visual_order():
    assert is_rtl("محمد") and is_rtl("שרה") and not is_rtl("Søren")
    shaped = visual_order("محمد")
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in shaped)  # joined presentation forms
    assert shaped[0] == "\ufeaa"  # the final dal comes first, drawn leftmost
    assert visual_order("שרה") == "הרש"
