"""Drawing badges into a PDF with reportlab, in a layout's places on each page.

What every badge of one role shares (background, event name, role band) is drawn once per
document as a form XObject and reused, which keeps 2,000 badges small and fast; each badge then
adds its name, organisation, job title and its QR code as one vector path.

A batch can be drawn by several processes (``messe.badges.domain.batch``): each draws whole pages
into compressed content streams (``capture``) with fonts primed the same way (``prime_fonts``:
every process gives each character the same code in the same font subset), and the process
that writes the file adds those streams as its pages (``add_pages``) and embeds the fonts.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from messe.badges.domain.badge import BadgeData
from messe.badges.domain.fonts import font_chain, is_rtl, visual_order
from messe.badges.domain.layouts import Layout, TextField
from messe.badges.domain.qr import QrPath, qr_path
from messe.badges.domain.text import LEADING, Fitted, breaks, fit_text
from messe.badges.domain.tokens import sign_badge

# Where the baseline sits below the top of a line, as a multiple of the font size.
_ASCENT = (LEADING - 1) / 2 + 0.8
_CUT_MARK_GAP = 1.0  # mm between a sheet's cut line end and the badges

# Which characters each font is primed with, in order: ((reportlab font name, characters), ...).
FontPlan = tuple[tuple[str, str], ...]


class FontsDiverged(Exception):
    """A process drew with a character or font outside the shared plan; its pages must be redrawn."""


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
        self.captured: list[bytes] | None = None  # when a list, pages are kept here, not added
        self._fitted: dict[tuple[str, int, float], Fitted] = {}  # organisations, titles repeat
        self._fill_ops: dict[tuple[float, float, float], str] = {}
        self._slot_ops: dict[int, list[str]] = {}  # slot -> its "q" and "cm"
        self._qr_ops: dict[int, tuple[list[str], list[str]]] = {}  # modules -> ops before, after the path
        self._frozen: dict[str, str] | None = None
        self._resources: pdfdoc.PDFResourceDictionary | None = None

    # -- drawing in several processes ------------------------------------------------------------

    def prime_fonts(self, plan: FontPlan) -> None:
        """Give the plan's characters their codes and fonts their names, in the plan's order."""
        doc = self.canvas._doc
        for name, chars in plan:
            font = pdfmetrics.getFont(name)
            font.splitString(chars, doc)
            font.getSubsetInternalName(0, doc)

    def define_forms(self, badges: Iterable[BadgeData]) -> dict[tuple[str, str], str]:
        """Draw the shared artwork of every role in ``badges`` now; returns the forms' names."""
        for badge in badges:
            self._shared_form(badge)
        return dict(self.forms)

    def freeze_fonts(self, forms: dict[tuple[str, str], str]) -> None:
        """Draw only into ``captured``, with the primed fonts and another process's forms."""
        doc = self.canvas._doc
        for style in {self.layout.name_field.font, self.layout.role.font,
                      *(f.font for f in (self.layout.organisation, self.layout.job_title, self.layout.event_name)
                        if f is not None)}:
            for name in font_chain(style).names:
                pdfmetrics.getFont(name)._assignState(doc).frozen = 1
        self._frozen = dict(doc.fontMapping)
        self.forms = dict(forms)
        self.captured = []

    def check_fonts(self) -> None:
        """Raise FontsDiverged if drawing named a font the plan did not (new codes raise on their own)."""
        if self._frozen is not None and self.canvas._doc.fontMapping != self._frozen:
            raise FontsDiverged("a font outside the plan was used")

    def add_pages(self, streams: Sequence[bytes]) -> None:
        """Add pages whose content streams another ``BadgePdf`` captured (zlib-compressed)."""
        doc = self.canvas._doc
        if self._resources is None:
            resources = self._resources = pdfdoc.PDFResourceDictionary()
            resources.basicFonts()
            resources.allProcs()
            resources.XObject = doc.xobjDict(sorted(set(self.forms.values())))
            doc.Reference(resources)
        page_w, page_h = self.layout.page_size
        box = pdfdoc.format(pdfdoc.PDFArray([0, 0, page_w * mm, page_h * mm]), doc)
        for stream in streams:
            doc.addPage(_Page(_Stream(stream), self._resources, box))
        self.pages += len(streams)

    def add(self, badge: BadgeData, qr: QrPath) -> None:
        if self.used == len(self.slots):
            self._end_page()
        left, top = self.slots[self.used]
        self.used += 1
        c = self.canvas
        # saveState and translate write "q" and a "cm" that depend on the slot only: written once,
        # then repeated (the canvas's own state is not needed inside a badge).
        frame = self._slot_ops.get(self.used)
        if frame is None:
            start = len(c._code)
            c.saveState()
            c.translate(left * mm, self.page_height - (top + self.layout.height) * mm)
            frame = self._slot_ops[self.used] = c._code[start:]
            c.restoreState()
            del c._code[start:]
        c._code.extend(frame)
        c.doForm(self._shared_form(badge))
        layout = self.layout
        self._text(badge.name, layout.name_field)
        if layout.organisation is not None:
            self._text(badge.organisation, layout.organisation)
        if layout.job_title is not None:
            self._text(badge.job_title, layout.job_title)
        self._qr(qr)
        c._code.append("Q")

    def finish(self) -> None:
        if self.used:
            self._end_page()
        self.canvas.save()

    def _end_page(self) -> None:
        if self.layout.sheet is not None and self.layout.sheet.cut_marks:
            self._cut_marks()
        c = self.canvas
        if self.captured is None:
            c.showPage()
            self.pages += 1
        else:  # what showPage would write as the page's stream, compressed (without ASCII85)
            content = "\n".join([*c._psCommandsBeforePage, c._preamble, *c._code, " ",
                                 *c._psCommandsAfterPage]) + "\n"
            self.captured.append(zlib.compress(content.encode("utf8"), 1))
            c._startPage()
        self.used = 0

    def _y(self, top_mm: float) -> float:
        """PDF y of a distance from the badge's top edge, inside a badge's coordinates."""
        return (self.layout.height - top_mm) * mm

    def _shared_form(self, badge: BadgeData) -> str:
        key = (badge.role, badge.event_name)
        if key in self.forms:
            return self.forms[key]
        if self._frozen is not None:
            raise FontsDiverged(f"no shared form for {key}")
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

    def _fill(self, color: tuple[float, float, float]) -> None:
        """``setFillColorRGB(*color)``, its operator formatted once per colour."""
        op = self._fill_ops.get(color)
        if op is None:
            op = self._fill_ops[color] = f"{fp_str(color)} rg"
        self.canvas._fillColorObj = color
        self.canvas._code.append(op)

    def _text(self, text: str, field: TextField, pad: float = 0.0) -> None:
        if not text.strip():
            return
        box = field.box
        width, height = (box.width - 2 * pad) * mm, box.height * mm
        key = (text, id(field), pad)  # the layout, and so the field, lives as long as this PDF
        fitted = self._fitted.get(key)
        if fitted is None:
            if len(self._fitted) > 10_000:
                self._fitted.clear()
            fitted = self._fitted[key] = fit_text(
                text, font_chain(field.font), width, height, field.size, field.min_size, field.max_lines)
        size = fitted.size
        block = len(fitted.lines) * size * LEADING
        offset = {"top": 0.0, "middle": (height - block) / 2, "bottom": height - block}[field.valign]
        c = self.canvas
        self._fill(field.color)
        doc = c._doc
        # What reportlab's text object writes for beginText, setHorizScale, setFont and textOut
        # (the font's size, leading 1.2 × size), without building one per line.
        font_ops = f"{fp_str(size)} Tf {fp_str(size * 1.2)} TL"
        for i, line in enumerate(fitted.lines):
            drawn = line.width * size * fitted.scale
            free = width - drawn
            x = (box.x + pad) * mm + {"left": 0.0, "center": free / 2, "right": free}[field.align]
            y = self._y(box.y) - offset - size * (_ASCENT + i * LEADING)
            ops = ["BT", f"1 0 0 1 {fp_str(x, y)} Tm"]
            if fitted.scale < 1.0:
                ops.append(f"{fp_str(fitted.scale * 100)} Tz")
            for name, run in line.runs:
                font = pdfmetrics.getFont(name)
                subset_now, run_ops = -1, []
                for subset, encoded in font.splitString(run, doc):
                    if subset != subset_now:
                        run_ops.append(f"{font.getSubsetInternalName(subset, doc)} {font_ops}")
                        subset_now = subset
                    run_ops.append(f"({c._escape(encoded)}) Tj")
                ops.append(" ".join(run_ops))
            ops.append("ET")
            c._code.append(" ".join(ops))

    def _qr(self, qr: QrPath) -> None:
        c = self.canvas
        frame = self._qr_ops.get(qr.modules)
        if frame is None:  # what the drawing around the path writes depends on the QR's size only
            start = len(c._code)
            field = self.layout.qr
            left, bottom, side = field.x * mm, self._y(field.y + field.size), field.size * mm
            c.setFillColorRGB(1, 1, 1)
            c.rect(left, bottom, side, side, stroke=0, fill=1)
            module = side / (qr.modules + 8)
            c.saveState()
            c.translate(left + 4 * module, bottom + 4 * module)
            c.scale(module, module)
            c.setFillColorRGB(*field.color)
            c.restoreState()
            recorded = c._code[start:]
            del c._code[start:]
            frame = self._qr_ops[qr.modules] = (recorded[:-1], recorded[-1:])
        before, after = frame
        c._code.extend(before)
        c._code.append(qr.ops + "\nf")
        c._code.extend(after)

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


class _Stream(pdfdoc.PDFObject):
    """A page's content stream, already compressed."""

    __RefOnly__ = 1

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        return b"<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\n" % (len(self.data), self.data)


class _Page(pdfdoc.PDFObject):
    """A page with a ready content stream and the document's shared resources."""

    __RefOnly__ = 1

    def __init__(self, contents: _Stream, resources: pdfdoc.PDFResourceDictionary, box: bytes) -> None:
        self.contents, self.resources, self.box = contents, resources, box

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        ref = document.Reference
        return b"<< /Contents %s /MediaBox %s /Parent %s /Resources %s /Type /Page >>" % (
            ref(self.contents).format(document), self.box, ref(document.Pages).format(document),
            ref(self.resources).format(document))


def _drawn_chars(texts: Iterable[str]) -> set[str]:
    """Every character a text box may draw for ``texts``, each on one line or broken into two."""
    texts = list(texts)
    joined = "".join(texts)
    if not is_rtl(joined):  # left-to-right text is drawn as it is
        chars = set(joined)
    else:  # right-to-left text is reordered and, for Arabic, shaped line by line
        chars = set("".join(text for text in texts if not is_rtl(text)))
        for text in filter(is_rtl, texts):
            text = " ".join(text.split())
            chars.update(visual_order(text))
            for a, b in breaks(text):
                chars.update(visual_order(a), visual_order(b))
    return {c for c in chars if c == " " or not c.isspace()}  # other whitespace becomes spaces


def font_plan(layout: Layout, badges: Iterable[BadgeData]) -> FontPlan:
    """The characters of ``badges`` by the font that may draw them, for ``BadgePdf.prime_fonts``.

    A character goes to its font in the style's fallback chain; spaces and combining marks may
    also stay with a neighbour's font (``FontChain.runs``), so they go to each such font too.
    """
    texts: dict[str, set[str]] = {}

    def add(field: TextField | None, text: str) -> None:
        if field is not None and text.strip():
            texts.setdefault(field.font, set()).add(text)

    role = layout.role
    for badge in badges:
        add(layout.name_field, badge.name)
        add(layout.organisation, badge.organisation)
        add(layout.job_title, badge.job_title)
        add(layout.event_name, badge.event_name)
        texts.setdefault(role.font, set()).add(role.labels.get(badge.role, badge.role.capitalize()))
    plan: dict[str, set[str]] = {}
    for style, strings in texts.items():
        chain = font_chain(style)
        chars = _drawn_chars(strings)
        joining = {c for c in chars if c.isspace() or unicodedata.combining(c)}
        for c in chars - joining:
            plan.setdefault(chain.font_for(c), set()).add(c)
        for c in joining:
            plan.setdefault(chain.font_for(c), set()).add(c)
            for name, covered in zip(chain.names, chain.coverage, strict=True):
                if name in plan and c in covered:
                    plan[name].add(c)
    return tuple(sorted((name, "".join(sorted(chars))) for name, chars in plan.items()))


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
