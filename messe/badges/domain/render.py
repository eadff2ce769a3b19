"""Drawing badges into a PDF with reportlab, in a layout's places on each page.

What every badge of one role shares (background, event name, role band) is drawn once per
document as a form XObject and reused, which keeps 2,000 badges small and fast; each badge then
adds its name, organisation, job title and its QR code as one vector path.
"""

from __future__ import annotations

from io import BytesIO
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from messe.badges.domain.badge import BadgeData
from messe.badges.domain.fonts import font_chain
from messe.badges.domain.layouts import Layout, TextField
from messe.badges.domain.qr import QrPath, qr_path
from messe.badges.domain.text import LEADING, fit_text
from messe.badges.domain.tokens import sign_badge

# Where the baseline sits below the top of a line, as a multiple of the font size.
_ASCENT = (LEADING - 1) / 2 + 0.8
_CUT_MARK_GAP = 1.0  # mm between a sheet's cut line end and the badges


class BadgePdf:
    """A PDF being filled with badges; call ``add`` for each and ``finish`` once."""

    def __init__(self, layout: Layout, out: BinaryIO, title: str = "Badges") -> None:
        self.layout = layout
        page_w, page_h = layout.page_size
        self.page_height = page_h * mm
        # Our own font from the start, or reportlab declares Helvetica, unembedded, on every page.
        first_font = font_chain(layout.name_field.font).names[0]
        self.canvas = Canvas(out, pagesize=(page_w * mm, self.page_height), pageCompression=1,
                             initialFontName=first_font)
        self.canvas.setTitle(title)
        self.canvas.setCreator("messe")
        self.slots = layout.slots()
        self.used = 0  # badges on the current page
        self.pages = 0
        self.forms: dict[tuple[str, str], str] = {}  # (role, event name) -> form name

    def add(self, badge: BadgeData, qr: QrPath) -> None:
        if self.used == len(self.slots):
            self._end_page()
        left, top = self.slots[self.used]
        self.used += 1
        c = self.canvas
        c.saveState()
        c.translate(left * mm, self.page_height - (top + self.layout.height) * mm)
        c.doForm(self._shared_form(badge))
        layout = self.layout
        self._text(badge.name, layout.name_field)
        if layout.organisation is not None:
            self._text(badge.organisation, layout.organisation)
        if layout.job_title is not None:
            self._text(badge.job_title, layout.job_title)
        self._qr(qr)
        c.restoreState()

    def finish(self) -> None:
        if self.used:
            self._end_page()
        self.canvas.save()

    def _end_page(self) -> None:
        if self.layout.sheet is not None and self.layout.sheet.cut_marks:
            self._cut_marks()
        self.canvas.showPage()
        self.pages += 1
        self.used = 0

    def _y(self, top_mm: float) -> float:
        """PDF y of a distance from the badge's top edge, inside a badge's coordinates."""
        return (self.layout.height - top_mm) * mm

    def _shared_form(self, badge: BadgeData) -> str:
        key = (badge.role, badge.event_name)
        if key in self.forms:
            return self.forms[key]
        name = self.forms[key] = f"badge{len(self.forms)}"
        c, layout = self.canvas, self.layout
        c.beginForm(name, 0, 0, layout.width * mm, layout.height * mm)
        c.setFillColorRGB(*layout.background)
        c.rect(0, 0, layout.width * mm, layout.height * mm, stroke=0, fill=1)
        if layout.event_name is not None:
            self._text(badge.event_name, layout.event_name)
        band = layout.role.box
        c.setFillColorRGB(*layout.role.colors.get(badge.role, (0.3, 0.3, 0.3)))
        c.roundRect(band.x * mm, self._y(band.y + band.height), band.width * mm, band.height * mm,
                    layout.role.radius * mm, stroke=0, fill=1)
        role = layout.role
        label = TextField(box=band, font=role.font, size=role.size, min_size=role.size / 2, max_lines=1,
                          color=role.text_color, align=role.align, valign="middle")
        self._text(layout.role.labels.get(badge.role, badge.role.capitalize()), label, pad=2.0)
        c.endForm()
        return name

    def _text(self, text: str, field: TextField, pad: float = 0.0) -> None:
        if not text.strip():
            return
        box = field.box
        width, height = (box.width - 2 * pad) * mm, box.height * mm
        chain = font_chain(field.font)
        fitted = fit_text(text, chain, width, height, field.size, field.min_size, field.max_lines)
        size = fitted.size
        block = len(fitted.lines) * size * LEADING
        offset = {"top": 0.0, "middle": (height - block) / 2, "bottom": height - block}[field.valign]
        c = self.canvas
        c.setFillColorRGB(*field.color)
        for i, line in enumerate(fitted.lines):
            drawn = line.width * size * fitted.scale
            free = width - drawn
            x = (box.x + pad) * mm + {"left": 0.0, "center": free / 2, "right": free}[field.align]
            y = self._y(box.y) - offset - size * (_ASCENT + i * LEADING)
            t = c.beginText(x, y)
            if fitted.scale < 1.0:
                t.setHorizScale(fitted.scale * 100)
            for font, run in line.runs:
                t.setFont(font, size)
                t.textOut(run)
            c.drawText(t)

    def _qr(self, qr: QrPath) -> None:
        field, c = self.layout.qr, self.canvas
        left, bottom, side = field.x * mm, self._y(field.y + field.size), field.size * mm
        c.setFillColorRGB(1, 1, 1)
        c.rect(left, bottom, side, side, stroke=0, fill=1)
        module = side / (qr.modules + 8)
        c.saveState()
        c.translate(left + 4 * module, bottom + 4 * module)
        c.scale(module, module)
        c.setFillColorRGB(*field.color)
        c.addLiteral(qr.ops + "\nf")
        c.restoreState()

    def _cut_marks(self) -> None:
        """Short lines on each cut line, in the margin, or from the sheet's edge when badges fill it."""
        layout, c = self.layout, self.canvas
        assert layout.sheet is not None
        page_w, page_h = layout.page_size
        length = layout.sheet.cut_mark_length
        xs = sorted({x for x, _ in self.slots} | {x + layout.width for x, _ in self.slots})
        ys = sorted({y for _, y in self.slots} | {y + layout.height for _, y in self.slots})
        c.saveState()
        c.setLineWidth(0.3)
        c.setStrokeColorRGB(0, 0, 0)
        for x in xs:
            if _CUT_MARK_GAP < x < page_w - _CUT_MARK_GAP:
                for a, b in _mark_spans(ys[0], ys[-1], page_h, length):
                    c.line(x * mm, (page_h - a) * mm, x * mm, (page_h - b) * mm)
        for y in ys:
            if _CUT_MARK_GAP < y < page_h - _CUT_MARK_GAP:
                for a, b in _mark_spans(xs[0], xs[-1], page_w, length):
                    c.line(a * mm, (page_h - y) * mm, b * mm, (page_h - y) * mm)
        c.restoreState()


def _mark_spans(first: float, last: float, page: float, length: float) -> list[tuple[float, float]]:
    """Where the two marks of one cut line go, before ``first`` and after ``last`` badge edge (mm)."""
    room = _CUT_MARK_GAP + length
    before = (first - room, first - _CUT_MARK_GAP) if first >= room else (0.0, length)
    after = (last + _CUT_MARK_GAP, last + room) if page - last >= room else (page - length, page)
    return [before, after]


def badge_qr(badge: BadgeData, key: Ed25519PrivateKey) -> QrPath:
    """The QR path of the badge's signed token: the costly part of a badge, cached per token."""
    token = sign_badge(key, badge.attendee_id, badge.version, badge.event_slug, badge.name,
                       badge.organisation)
    return qr_path(token)


def render_pdf(badges: list[BadgeData], layout: Layout, key: Ed25519PrivateKey,
               title: str = "Badges") -> bytes:
    """A PDF of ``badges`` rendered in this process: for one badge at the door or a few."""
    out = BytesIO()
    pdf = BadgePdf(layout, out, title)
    for badge in badges:
        pdf.add(badge, badge_qr(badge, key))
    pdf.finish()
    return out.getvalue()
