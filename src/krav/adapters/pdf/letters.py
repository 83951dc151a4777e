"""Letters as PDF: a :class:`~krav.domain.collection.letters.Letter` turned into an A4 page a debtor can read.

What every letter shows: the service's letterhead; the debtor's address in the envelope window; the date, the
customer number and, on letters that ask for money, the deadline; the creditor (oppdragsgiver) with its
organisation number and contact; the letter's text (``templates/<language>/<type>.j2``); a table of the claims
(invoice number, invoice date, due date, principal, fee, interest and, where charged, salær — with the interest
rate and the date it runs from when the letter carries them, as inkassoloven § 10 second paragraph (c, d)
requires of a payment demand); the sums; and a payment box with the total, the deadline, the account number and
the KID. A paid confirmation has neither deadline nor payment box.

Up to about fifteen claims fit on the first page; more continue on the next pages under a repeated table
heading, and the sums and the payment box always come last. The same letter always gives the same bytes.

This module lays a letter out and draws it; the parts are :mod:`krav.adapters.pdf.letter_context` (checks,
sums and what a template sees), :mod:`krav.adapters.pdf.letter_flow` (text, table and payment box) and
:mod:`krav.adapters.pdf.letter_page` (letterhead, envelope window, running head and footer).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from krav.adapters.pdf import collection_list, layout
from krav.adapters.pdf.collection_list import ListRow
from krav.adapters.pdf.layout import Page, Pen, paginate, top
from krav.adapters.pdf.letter_context import check_letter, letter_sums, template_context
from krav.adapters.pdf.letter_flow import (
    BODY_LEADING,
    BODY_SIZE,
    PARAGRAPH_GAP,
    ROW_HEIGHT,
    TABLE_HEADING_SIZE,
    TABLE_SIZE,
    table_pieces,
    text_pieces,
)
from krav.adapters.pdf.letter_page import (
    ADDRESS_BASELINE,
    ADDRESS_ROOM,
    ADDRESS_STEP,
    ADDRESS_X,
    FLOW_BOTTOM,
    FLOW_TOP_FIRST,
    FLOW_TOP_NEXT,
    INFO_VALUE_X,
    INFO_X,
    RETURN_BASELINE,
    draw_first_page_head,
    draw_footer,
    draw_next_page_head,
)
from krav.adapters.pdf.texts import LetterTexts, clean, format_date, packaged_texts
from krav.domain.collection.letters import Letter, Sender
from krav.domain.collection.settlement import SettlementReport
from krav.domain.errors import FieldError, FileFormatError

# The page geometry and type sizes are importable from here as they always were.
__all__ = [
    "ADDRESS_BASELINE",
    "ADDRESS_ROOM",
    "ADDRESS_STEP",
    "ADDRESS_X",
    "BODY_LEADING",
    "BODY_SIZE",
    "FLOW_BOTTOM",
    "FLOW_TOP_FIRST",
    "FLOW_TOP_NEXT",
    "INFO_VALUE_X",
    "INFO_X",
    "PARAGRAPH_GAP",
    "RETURN_BASELINE",
    "ROW_HEIGHT",
    "TABLE_HEADING_SIZE",
    "TABLE_SIZE",
    "LetterRenderer",
    "default_renderer",
    "render_letter",
    "render_letters",
]


class LetterRenderer:
    """Renders letters and collection lists as PDF with one set of texts (the packaged one by default)."""

    #: How many letters' layouts a renderer keeps: a print letter is rendered on its own (the archived copy) and
    #: then again in its print batch, which then reuses its layout (a batch is made of at most 500 letters).
    KEEP_LAID_OUT = 1024

    def __init__(self, texts: LetterTexts | None = None) -> None:
        self.texts = texts or packaged_texts()
        self._laid_out: dict[int, tuple[Letter, _LaidOut]] = {}
        self._lock = threading.Lock()

    def render_letter(self, letter: Letter) -> bytes:
        """One letter as a complete PDF."""
        return self.render_letters([letter])

    def render_letters(self, letters: Sequence[Letter]) -> bytes:
        """Every letter in one PDF, each starting on a new page (the daily print batch)."""
        if not letters:
            raise FieldError("letters", "nothing to render; give at least one letter")
        laid_out = [self._laid_out_once(letter) for letter in letters]
        first = laid_out[0]
        buffer = io.BytesIO()
        created = max(letter.sent_on for letter in letters)
        subject = first.title if len(letters) == 1 else f"{len(letters)} letters"
        canvas = layout.new_canvas(
            buffer, created, f"{first.title} {format_date(created)}", first.service_name, subject
        )
        pen = Pen(canvas)
        for item in laid_out:
            item.draw(pen)
        canvas.save()
        return buffer.getvalue()

    def render_settlement_report(self, report: SettlementReport) -> bytes:
        """The settlement report of one bank day (R-BANK-3)."""
        from krav.adapters.pdf.settlement import render_settlement_report

        return render_settlement_report(report)

    def render_collection_list(
        self, creditor: Sender, list_date: date, rows: Sequence[ListRow], *, automatic: bool = True
    ) -> bytes:
        """The collection list of ``creditor`` for ``list_date``, rows in the order given (R-CLM-4); ``automatic``:
        the agreement's automatic list (the claims move on the Thursday unless stopped)."""
        return collection_list.render_collection_list(creditor, list_date, rows, texts=self.texts, automatic=automatic)

    def _laid_out_once(self, letter: Letter) -> _LaidOut:
        """``letter`` laid out: by this renderer the first time it was rendered (the same letter object), else
        now. Letters are immutable values, so a kept layout is the letter's as long as the object lives (the
        renderer holds it while it keeps the layout, so its id is not reused meanwhile)."""
        kept = self._laid_out.get(id(letter))
        if kept is not None and kept[0] is letter:
            return kept[1]
        laid_out = self._lay_out(letter)
        with self._lock:
            while len(self._laid_out) >= self.KEEP_LAID_OUT:
                del self._laid_out[next(iter(self._laid_out))]
            self._laid_out[id(letter)] = (letter, laid_out)
        return laid_out

    def _lay_out(self, letter: Letter) -> _LaidOut:
        check_letter(letter)
        language = self.texts.language_of(letter.recipient.language)
        labels = self.texts.labels(language)
        sums = letter_sums(letter)
        blocks = self.texts.render(letter.type.value, language, template_context(letter, labels, sums))
        titles = [b.text for b in blocks if b.kind == "title"]
        if not titles:
            raise FileFormatError(f"{language}/{letter.type.value}.j2", "a letter template needs a '# headline' line")
        pieces = text_pieces(blocks)
        heading, table = table_pieces(letter, labels, sums)
        pieces.extend(table)
        pages = paginate(pieces, top(FLOW_TOP_FIRST), top(FLOW_TOP_NEXT), top(FLOW_BOTTOM), heading)
        return _LaidOut(letter, labels, titles[0], pages)


@dataclass(frozen=True, slots=True)
class _LaidOut:
    letter: Letter
    labels: Mapping[str, str]
    title: str
    pages: list[Page]

    @property
    def service_name(self) -> str:
        return clean(self.letter.service.name, 80)

    def draw(self, pen: Pen) -> None:
        count = len(self.pages)
        for number, page in enumerate(self.pages, start=1):
            if number == 1:
                draw_first_page_head(pen, self.letter, self.labels)
            else:
                draw_next_page_head(pen, self.letter, self.labels, self.title)
            for piece, y in page.pieces:
                piece.draw(pen, y)
            draw_footer(pen, self.letter, self.labels, number, count)
            pen.end_page()


# -- module API -------------------------------------------------------------------------------------------------------


@cache
def default_renderer() -> LetterRenderer:
    """The renderer with the packaged texts."""
    return LetterRenderer()


def render_letter(letter: Letter) -> bytes:
    """``letter`` as a complete PDF: A4, address in the envelope window, deterministic bytes."""
    return default_renderer().render_letter(letter)


def render_letters(letters: Sequence[Letter]) -> bytes:
    """All ``letters`` in one PDF, each starting on a new page (the daily print batch)."""
    return default_renderer().render_letters(letters)
