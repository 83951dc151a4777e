"""Drawing on a ReportLab canvas: fonts, measuring, wrapping, and pages laid out from measured pieces.

Text is drawn with ``drawString`` on the canvas, never through platypus ``Paragraph`` markup, so ``<b>`` or
``<font>`` in a debtor's name is printed as the characters it is. The standard Helvetica (not embedded, fast)
draws everything Windows-1252 can encode, which covers Norwegian; a string with other letters (Polish ``ł``,
Sámi ``ŋ``, Cyrillic, …) is drawn in DejaVu Sans, embedded as a subset, where the machine has it (Debian's
``fonts-dejavu-core``); without it such letters are folded to their base letter or ``?``.

Pages are laid out in two passes: every piece (a line of text, a table row, the payment box) is measured
first, then split into pages, so "Side 1 av 2" is known before anything is drawn.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from reportlab import rl_config  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.pdfgen.textobject import PDFTextObject  # type: ignore[import-untyped]

from krav.adapters.pdf.texts import ELLIPSIS

# Page streams are Flate-compressed but not ASCII85-wrapped: without ReportLab's optional C accelerator
# (rl-accel) the pure-Python ASCII85 encoder took a third of the time of a letter, and a binary PDF is 20 %
# smaller. ReportLab reads this setting process-wide when a page is written; Krav draws PDFs only here, and
# every document it draws gets the same setting, so output stays deterministic.
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
MM: float = mm
#: the text column of a portrait page, in millimetres from the left edge
LEFT_MM = 20.0
RIGHT_MM = 190.0

MIN_SIZE = 6.0
REGULAR = "Helvetica"
BOLD = "Helvetica-Bold"
FONT_DIRECTORIES = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
)
_FALLBACK_FILES = {REGULAR: ("KravSans", "DejaVuSans.ttf"), BOLD: ("KravSans-Bold", "DejaVuSans-Bold.ttf")}
# letters NFKD does not decompose, folded by hand when no fallback font is installed
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ŋ": "n", "Ŋ": "N", "ŧ": "t", "Ŧ": "T", "ı": "i"})


def top(mm_from_top: float) -> float:
    """The canvas y coordinate of a point ``mm_from_top`` millimetres below the top edge of an A4 page."""
    return float(PAGE_HEIGHT - mm_from_top * MM)


# -- fonts and measuring --------------------------------------------------------------------------------------


@cache
def _fallback_font(font: str) -> str | None:
    name, filename = _FALLBACK_FILES[font]
    for directory in FONT_DIRECTORIES:
        path = directory / filename
        if path.is_file():
            pdfmetrics.registerFont(TTFont(name, str(path)))
            return name
    return None


def _winansi(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.encode("cp1252", errors="replace").decode("cp1252")


def font_for(text: str, bold: bool = False) -> tuple[str, str]:
    """The font to draw ``text`` in, and the text as it will be drawn."""
    base = BOLD if bold else REGULAR
    if _winansi(text):
        return base, text
    fallback = _fallback_font(base)
    if fallback is not None:
        return fallback, text
    return base, _fold(text)


@lru_cache(maxsize=8192)
def width(text: str, font: str, size: float) -> float:
    """The width of ``text`` in points (cached: labels, template words and dates repeat from letter to letter,
    and ReportLab measures in pure Python)."""
    return float(pdfmetrics.stringWidth(text, font, size))


def cut_to_width(text: str, font: str, size: float, room: float) -> str:
    """``text`` cut with an ellipsis so that it is at most ``room`` points wide."""
    if width(text, font, size) <= room:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits together with the ellipsis
        middle = (low + high + 1) // 2
        if width(text[:middle].rstrip() + ELLIPSIS, font, size) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


def wrap(text: str, font: str, size: float, room: float) -> list[str]:
    """``text`` broken into lines at most ``room`` points wide (a word longer than a line is broken too)."""
    space = width(" ", font, size)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        word_width = width(word, font, size)
        while word_width > room:  # a word wider than the line: break it where it must
            if current:
                lines.append(" ".join(current))
                current, used = [], 0.0
            head = cut_to_width(word, font, size, room)[:-1] or word[:1]
            lines.append(head)
            word = word[len(head) :]
            word_width = width(word, font, size)
        if not word:
            continue
        if current and used + space + word_width > room:
            lines.append(" ".join(current))
            current, used = [], 0.0
        used = word_width if not current else used + space + word_width
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


# -- drawing ---------------------------------------------------------------------------------------------------


class Pen:
    """A canvas with the few drawing operations documents need; every string goes through :func:`font_for`.

    All text of a page goes into one PDF text object, and the font is set only when it changes: drawing each
    string with ``canvas.drawString`` opens a text object and sets the font every time, which costs more than
    the rest of a letter. Call :meth:`end_page` to finish a page.
    """

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self._text: PDFTextObject | None = None
        self._font: tuple[str, float] | None = None

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        align: str = "left",
        room: float | None = None,
        shrink: bool = False,
    ) -> None:
        """Draw one line at baseline ``y``; ``align`` is left, right (``x`` is the right edge) or centre.

        Text wider than ``room`` is cut with an ellipsis; with ``shrink`` (amounts, numbers) it is first set
        smaller, down to 6 pt, since a cut amount would say something else.
        """
        if not text:
            return
        font, shown = font_for(text, bold)
        natural = width(shown, font, size)
        if room is not None and natural > room:
            if shrink:
                # a hair under the exact fit: at the exact size rounding may measure it wider and cut it after all
                size = max(MIN_SIZE, size * room / natural * 0.999)
            shown = cut_to_width(shown, font, size, room)
            natural = width(shown, font, size)
        if align == "right":
            x -= natural
        elif align == "centre":
            x -= natural / 2
        if self._text is None:
            self._text = self.canvas.beginText()
            self._font = None
        if self._font != (font, size):
            self._text.setFont(font, size)
            self._font = (font, size)
        self._text.setTextOrigin(x, y)
        self._text.textOut(shown)

    def end_page(self) -> None:
        """Put the page's text on it and start a new page."""
        if self._text is not None:
            self.canvas.drawText(self._text)
            self._text = None
        self.canvas.showPage()

    def rule(self, x1: float, y: float, x2: float, line_width: float = 0.5) -> None:
        self.canvas.setLineWidth(line_width)
        self.canvas.line(x1, y, x2, y)

    def box(self, x: float, y: float, w: float, h: float, line_width: float = 0.8) -> None:
        """A rectangle whose top-left corner is at (``x``, ``y``)."""
        self.canvas.setLineWidth(line_width)
        self.canvas.rect(x, y - h, w, h, stroke=1, fill=0)


Draw = Callable[[Pen, float], None]


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: ``x`` and ``width`` in points; numbers (``shrink``) are set smaller rather than cut."""

    key: str
    x: float
    width: float
    align: str
    shrink: bool = True

    def draw(self, pen: Pen, baseline: float, text: str, size: float, *, bold: bool = False) -> None:
        pad = 0.8 * MM
        room = self.width - 2 * pad
        if self.align == "right":
            pen.text(
                self.x + self.width - pad, baseline, text, size, bold=bold, align="right", room=room, shrink=self.shrink
            )
        else:
            pen.text(self.x + pad, baseline, text, size, bold=bold, room=room, shrink=self.shrink)


def columns(
    widths: Sequence[tuple[str, float, str]], left: float, right: float, *, cut: Sequence[str] = ()
) -> list[Column]:
    """Columns from (key, relative width, alignment), scaled to fill ``left``–``right`` (points); the text of the
    keys in ``cut`` is cut with an ellipsis when too long, the rest is set smaller."""
    scale = (right - left) / sum(relative for _, relative, _ in widths)
    laid: list[Column] = []
    x = left
    for key, relative, align in widths:
        laid.append(Column(key, x, relative * scale, align, shrink=key not in cut))
        x += relative * scale
    return laid


@dataclass(frozen=True, slots=True)
class Piece:
    """Something of known height drawn with its top at y: a line of text, a table row, a box.

    ``row`` marks a table row (a page that starts with one repeats the table heading); ``keep_with_next`` holds a
    heading on the page of what follows it.
    """

    height: float
    draw: Draw
    row: bool = False
    keep_with_next: bool = False


@dataclass(slots=True)
class Page:
    pieces: list[tuple[Piece, float]] = field(default_factory=list)


def paginate(
    pieces: Sequence[Piece], first_top: float, next_top: float, bottom: float, table_heading: Piece | None
) -> list[Page]:
    """Split ``pieces`` over pages: the first page's content starts at ``first_top``, later pages at ``next_top``,
    and nothing goes below ``bottom``. A page that starts inside the table repeats ``table_heading``."""
    pages = [Page()]
    y = first_top
    for index, piece in enumerate(pieces):
        need = piece.height
        if piece.keep_with_next and index + 1 < len(pieces):
            need += pieces[index + 1].height
        if y - need < bottom and pages[-1].pieces:
            pages.append(Page())
            y = next_top
            if piece.row and table_heading is not None:
                pages[-1].pieces.append((table_heading, y))
                y -= table_heading.height
        pages[-1].pieces.append((piece, y))
        y -= piece.height
    return pages


def new_canvas(
    buffer: io.BytesIO, created: date, title: str, author: str, subject: str, *, landscape: bool = False
) -> Canvas:
    """A canvas whose output depends only on what is drawn: ReportLab's invariant mode, and the creation date
    fixed to ``created`` (the letter's date), so the same letter gives the same bytes and the same SHA-256."""
    size = (PAGE_HEIGHT, PAGE_WIDTH) if landscape else A4
    canvas = Canvas(buffer, pagesize=size, invariant=1, pageCompression=1)
    stamp = f"D:{created.year:04d}{created.month:02d}{created.day:02d}000000+00'00'"
    canvas.setDateFormatter(lambda *_: stamp)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject)
    canvas.setCreator("Krav")
    canvas.setProducer("Krav (ReportLab)")
    return canvas
