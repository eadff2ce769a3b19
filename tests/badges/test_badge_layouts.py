"""Layout files: the shipped ones load, and every mistake names the file and the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from messe.badges.domain.badge import ROLES
from messe.badges.domain.files import BADGES_DIR
from messe.badges.domain.layouts import LayoutError, available_layouts, load_layout

A6 = (BADGES_DIR / "a6.toml").read_text(encoding="utf-8")


def test_the_four_stocks_are_shipped_with_the_right_sizes():
    assert {"a6", "a4-4up", "cr80", "label-4x3"} <= set(available_layouts())
    a6, a4, card, label = (load_layout(n) for n in ("a6", "a4-4up", "cr80", "label-4x3"))
    assert (a6.width, a6.height, a6.per_page, a6.page_size) == (105, 148, 1, (105, 148))
    assert (a4.width, a4.height, a4.per_page, a4.page_size) == (105, 148, 4, (210, 297))
    assert a4.sheet is not None and a4.sheet.cut_marks
    assert (card.width, card.height) == (85.6, 54)
    assert (round(label.width / 25.4, 3), round(label.height / 25.4, 3)) == (4, 3)
    for layout in (a6, a4, card, label):
        assert set(layout.role.labels) == set(ROLES)
        assert layout.organisation and layout.job_title and layout.event_name
        assert layout.name_field.max_lines == 2
    assert [a6.role.labels[r] for r in ROLES] == ["Deltager", "Udstiller", "Taler", "Presse", "Arrangør"]


def test_a4_places_four_badges_inside_the_sheet():
    layout = load_layout("a4-4up")
    slots = layout.slots()
    assert len(slots) == 4
    for x, y in slots:
        assert 0 <= x <= 210 - layout.width and 0 <= y <= 297 - layout.height


def write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(path: Path) -> LayoutError:
    with pytest.raises(LayoutError) as caught:
        load_layout(str(path))
    assert path.name in str(caught.value)
    return caught.value


def test_a_copied_layout_can_be_used_by_path(tmp_path):
    layout = load_layout(str(write(tmp_path, A6)))
    assert layout.name == "mine" and layout.width == 105


@pytest.mark.parametrize("change, field, words", [
    (("size_pt = 30", "size_pt = \"big\""), "name.size_pt", "skal være et tal"),
    (("[qr]\nx_mm = 29.5", "[qr]\nx_mm = -3"), "qr.x_mm", "mellem"),
    (("x_mm = 7\n", "x_mm = 70\n"), "name.width_mm", "højre kant"),
    (("color = \"#111111\"", "color = \"red\""), "name.color", "farve"),
    (("valign = \"middle\"", "valign = \"center\""), "name.valign", "top, middle, bottom"),
    (("font = \"bold\"\nsize_pt = 30", "font = \"heavy\"\nsize_pt = 30"), "name.font", "bold, regular"),
    (("max_lines = 2", "max_lines = 3"), "name.max_lines", "mellem 1 og 2"),
    (("\"arrangør\" = \"#222222\"\n", ""), "role.colors.arrangør", "mangler"),
    (("presse = \"Presse\"\n", "presse = 7\n"), "role.labels.presse", "tekst"),
    (("[qr]\nx_mm = 29.5\ny_mm = 67\nsize_mm = 46", "[qr]\nx_mm = 29.5\ny_mm = 67\nsize_mm = 90"),
     "qr.size_mm", "kant"),
    (("height_mm = 27\n", "hieght_mm = 27\n"), "name.height_mm", "mangler"),
    (("min_size_pt = 11\n", "min_size_pt = 11\nshrink = true\n"), "name.shrink", "kendes ikke"),
    (("width_mm = 105\n", "width_mm = \"105\"\n"), "badge.width_mm", "skal være et tal"),
])
def test_a_bad_value_names_the_file_and_the_field(tmp_path, change, field, words):
    old, new = change
    assert old in A6, old
    error = error_for(write(tmp_path, A6.replace(old, new, 1)))
    assert error.field == field
    assert f"'{field}'" in str(error) and words in str(error)


def test_a_missing_table_and_a_typo_in_a_table_name_are_reported(tmp_path):
    without_qr = re.sub(r"\[qr\][^\[]*", "", A6)
    assert error_for(write(tmp_path, without_qr)).field == "qr"
    typo = A6.replace("[job_title]", "[job_titel]")
    assert error_for(write(tmp_path, typo)).field == "job_titel"


def test_broken_toml_says_where(tmp_path):
    error = error_for(write(tmp_path, A6.replace("[name]", "[name")))
    assert "ugyldig TOML" in str(error) and "line" in str(error)


def test_extends_reuses_and_overrides(tmp_path):
    write(tmp_path, A6, "base.toml")
    child = load_layout(str(write(tmp_path, 'extends = "base"\n[name]\nsize_pt = 20\n', "child.toml")))
    assert child.name_field.size == 20 and child.name_field.max_lines == 2 and child.qr.size == 46
    assert error_for(write(tmp_path, 'extends = "nowhere"\n', "orphan.toml")).field == "extends"
    assert error_for(write(tmp_path, 'extends = "loop"\n', "loop.toml")).field == "extends"


def test_a_sheet_too_small_for_its_badges(tmp_path):
    text = 'extends = "base"\n[sheet]\nwidth_mm = 200\nheight_mm = 297\ncolumns = 2\nrows = 2\n'
    write(tmp_path, A6, "base.toml")
    assert error_for(write(tmp_path, text)).field == "sheet.columns"


def test_an_unknown_layout_name_lists_the_known_ones():
    with pytest.raises(LayoutError) as caught:
        load_layout("a5")
    assert "a5" in str(caught.value) and "a6" in str(caught.value) and "cr80" in str(caught.value)
