"""Reading badge layouts: TOML files in ``badges/`` that an organiser copies and edits.

Positions and sizes are in millimetres from the badge's top-left corner, font sizes in points,
colours ``#rrggbb``. A layout may ``extends = "other"`` and override only some values (the A4
sheet reuses the A6 design this way). Every mistake is reported with the file and the field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from messe.badges.domain.badge import ROLES
from messe.badges.domain.files import BADGES_DIR
from messe.badges.domain.fonts import style_names
from messe.i18n import ngettext_for

ALIGNS = ("left", "center", "right")
VALIGNS = ("top", "middle", "bottom")
# Layout files are checked for organisers who edit them, in Danish (as the command line speaks).
danish = ngettext_for("da")
Color = tuple[float, float, float]


class LayoutError(Exception):
    """A layout file that cannot be used; the message names the file and the field."""

    def __init__(self, path: Path | str, field: str, message: str) -> None:
        self.path, self.field = Path(path), field
        where = f"{_shown(self.path)}: felt '{field}'" if field else _shown(self.path)
        super().__init__(f"{where}: {message}")


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class TextField:
    box: Box
    font: str
    size: float  # largest size, pt
    min_size: float
    max_lines: int
    color: Color
    align: str
    valign: str


@dataclass(frozen=True)
class RoleBand:
    box: Box
    font: str
    size: float
    text_color: Color
    align: str
    radius: float
    colors: dict[str, Color]
    labels: dict[str, str]


@dataclass(frozen=True)
class QrField:
    x: float
    y: float
    size: float  # including the four-module quiet zone
    color: Color


@dataclass(frozen=True)
class Sheet:
    width: float
    height: float
    columns: int
    rows: int
    gap: float
    cut_marks: bool
    cut_mark_length: float


@dataclass(frozen=True)
class Layout:
    name: str
    path: Path
    description: str
    width: float
    height: float
    background: Color
    name_field: TextField
    organisation: TextField | None
    job_title: TextField | None
    event_name: TextField | None
    role: RoleBand
    qr: QrField
    sheet: Sheet | None

    @property
    def per_page(self) -> int:
        return self.sheet.columns * self.sheet.rows if self.sheet else 1

    @property
    def page_size(self) -> tuple[float, float]:
        """Page width and height in mm."""
        return (self.sheet.width, self.sheet.height) if self.sheet else (self.width, self.height)

    def slots(self) -> list[tuple[float, float]]:
        """Top-left corner of each badge on a page, in mm from the page's top-left, row by row."""
        if self.sheet is None:
            return [(0.0, 0.0)]
        s = self.sheet
        left = (s.width - s.columns * self.width - (s.columns - 1) * s.gap) / 2
        top = (s.height - s.rows * self.height - (s.rows - 1) * s.gap) / 2
        return [(left + c * (self.width + s.gap), top + r * (self.height + s.gap))
                for r in range(s.rows) for c in range(s.columns)]


class _Table:
    """One TOML table being read: every value is checked, and keys nobody asked for are errors."""

    def __init__(self, path: Path, prefix: str, data: Any) -> None:
        self.path, self.prefix = path, prefix
        if not isinstance(data, dict):
            raise LayoutError(path, prefix, "skal være en tabel, fx [" + prefix + "]")
        self.data = data
        self.used: set[str] = set()

    def _field(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def error(self, key: str, message: str) -> LayoutError:
        return LayoutError(self.path, self._field(key), message)

    def _get(self, key: str, default: Any) -> Any:
        """The value of ``key``; ``default`` when absent, an error when absent and ``default`` is ``...``."""
        self.used.add(key)
        if key not in self.data:
            if default is ...:
                raise self.error(key, "mangler")
            return default
        return self.data[key]

    def number(self, key: str, default: Any = ..., low: float = 0.0, high: float = 2000.0) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(key, f"skal være et tal, ikke {value!r}")
        if not low <= value <= high:
            raise self.error(key, f"skal være mellem {low:g} og {high:g}, ikke {value:g}")
        return float(value)

    def integer(self, key: str, default: Any = ..., low: int = 1, high: int = 20) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(key, f"skal være et helt tal mellem {low} og {high}, ikke {value!r}")
        return value

    def text(self, key: str, default: Any = ..., choices: tuple[str, ...] = ()) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self.error(key, f"skal være tekst, ikke {value!r}")
        if choices and value not in choices:
            raise self.error(key, f"skal være en af {', '.join(choices)}, ikke {value!r}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"skal være true eller false, ikke {value!r}")
        return value

    def color(self, key: str, default: Any = ...) -> Color:
        value = self.text(key, default)
        digits = value[1:]
        if len(value) != 7 or value[0] != "#" or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise self.error(key, f"skal være en farve som \"#1f4e79\", ikke {value!r}")
        return (int(digits[0:2], 16) / 255, int(digits[2:4], 16) / 255, int(digits[4:6], 16) / 255)

    def table(self, key: str) -> _Table:
        return _Table(self.path, self._field(key), self._get(key, ...))

    def optional_table(self, key: str) -> _Table | None:
        return self.table(key) if key in self.data else None

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.error(unknown[0], "kendes ikke (stavefejl?)")


def _box(t: _Table, badge: tuple[float, float]) -> Box:
    box = Box(t.number("x_mm"), t.number("y_mm"), t.number("width_mm", low=1), t.number("height_mm", low=1))
    if box.x + box.width > badge[0] + 0.01:
        raise t.error("width_mm", f"går ud over badgets højre kant "
                                  f"({box.x:g} + {box.width:g} > {badge[0]:g} mm)")
    if box.y + box.height > badge[1] + 0.01:
        raise t.error("height_mm", f"går ud over badgets nederste kant "
                                   f"({box.y:g} + {box.height:g} > {badge[1]:g} mm)")
    return box


def _font(t: _Table, fonts: frozenset[str]) -> str:
    return t.text("font", "regular", choices=tuple(sorted(fonts)))


def _text_field(t: _Table, badge: tuple[float, float], fonts: frozenset[str],
                max_lines: int = 1) -> TextField:
    size = t.number("size_pt", low=4, high=200)
    field = TextField(
        box=_box(t, badge), font=_font(t, fonts), size=size,
        min_size=t.number("min_size_pt", default=min(size, 6.0), low=2, high=size),
        max_lines=t.integer("max_lines", default=max_lines, high=2), color=t.color("color", "#000000"),
        align=t.text("align", "left", choices=ALIGNS), valign=t.text("valign", "top", choices=VALIGNS),
    )
    t.done()
    return field


def _role_band(t: _Table, badge: tuple[float, float], fonts: frozenset[str]) -> RoleBand:
    colors, labels = t.table("colors"), t.table("labels")
    band = RoleBand(
        box=_box(t, badge), font=_font(t, fonts), size=t.number("size_pt", low=4, high=200),
        text_color=t.color("text_color", "#ffffff"), align=t.text("align", "center", choices=ALIGNS),
        radius=t.number("radius_mm", default=0.0, high=50),
        colors={role: colors.color(role) for role in ROLES},
        labels={role: labels.text(role) for role in ROLES},
    )
    for sub in (colors, labels, t):
        sub.done()
    return band


def _qr(t: _Table, badge: tuple[float, float]) -> QrField:
    qr = QrField(t.number("x_mm"), t.number("y_mm"), t.number("size_mm", low=10), t.color("color", "#000000"))
    if qr.x + qr.size > badge[0] + 0.01 or qr.y + qr.size > badge[1] + 0.01:
        raise t.error("size_mm", "QR-koden går ud over badgets kant")
    t.done()
    return qr


def _sheet(t: _Table | None, badge: tuple[float, float]) -> Sheet | None:
    if t is None:
        return None
    sheet = Sheet(
        width=t.number("width_mm", low=10), height=t.number("height_mm", low=10),
        columns=t.integer("columns"), rows=t.integer("rows"), gap=t.number("gap_mm", default=0.0, high=100),
        cut_marks=t.flag("cut_marks", False), cut_mark_length=t.number("cut_mark_mm", default=5.0, high=30),
    )
    if sheet.columns * badge[0] + (sheet.columns - 1) * sheet.gap > sheet.width + 0.01:
        raise t.error("columns", danish("{count} badge på {size} mm er bredere end arket",
                                        "{count} badges på {size} mm er bredere end arket", sheet.columns,
                                        size=f"{badge[0]:g}"))
    if sheet.rows * badge[1] + (sheet.rows - 1) * sheet.gap > sheet.height + 0.01:
        raise t.error("rows", danish("{count} badge på {size} mm er højere end arket",
                                     "{count} badges på {size} mm er højere end arket", sheet.rows,
                                     size=f"{badge[1]:g}"))
    t.done()
    return sheet


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LayoutError(path, "", "filen findes ikke") from None
    except OSError as exc:
        raise LayoutError(path, "", f"kan ikke læses ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LayoutError(path, "", f"ugyldig TOML: {exc}") from None
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise LayoutError(path, "extends", "skal være navnet på et andet layout, fx \"a6\"")
    parent_path = path.with_name(f"{parent}.toml")
    if parent_path in seen or parent_path == path:
        raise LayoutError(path, "extends", f"layoutet '{parent}' arver fra sig selv")
    if not parent_path.is_file():
        raise LayoutError(path, "extends", f"layoutet '{parent}' findes ikke ({_shown(parent_path)})")
    return _merge(_read(parent_path, (*seen, path)), data)


def parse_layout(path: Path, data: dict[str, Any], fonts: frozenset[str]) -> Layout:
    top = _Table(path, "", data)
    badge_t = top.table("badge")
    badge = (badge_t.number("width_mm", low=10, high=1000), badge_t.number("height_mm", low=10, high=1000))
    background = badge_t.color("background", "#ffffff")
    badge_t.done()

    def optional_text(key: str) -> TextField | None:
        table = top.optional_table(key)
        return None if table is None else _text_field(table, badge, fonts)

    layout = Layout(
        name=path.stem, path=path, description=top.text("description", ""),
        width=badge[0], height=badge[1], background=background,
        name_field=_text_field(top.table("name"), badge, fonts, max_lines=2),
        organisation=optional_text("organisation"),
        job_title=optional_text("job_title"),
        event_name=optional_text("event_name"),
        role=_role_band(top.table("role"), badge, fonts), qr=_qr(top.table("qr"), badge),
        sheet=_sheet(top.optional_table("sheet"), badge),
    )
    top.done()
    return layout


def available_layouts(layouts_dir: Path = BADGES_DIR) -> list[str]:
    return sorted(p.stem for p in layouts_dir.glob("*.toml"))


def load_layout(name: str, layouts_dir: Path = BADGES_DIR) -> Layout:
    """A layout by name (``a6`` is ``badges/a6.toml``) or by path to a ``.toml`` file."""
    path = Path(name) if name.endswith(".toml") else layouts_dir / f"{name}.toml"
    if not path.is_file() and not name.endswith(".toml"):
        known = ", ".join(available_layouts(layouts_dir)) or "ingen"
        raise LayoutError(path, "", f"layoutet '{name}' findes ikke; vælg et af: {known}")
    return parse_layout(path, _read(path), style_names())
