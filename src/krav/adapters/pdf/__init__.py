"""PDF documents: letters to debtors and the creditor's collection list.

>>> from krav.adapters.pdf import render_letter, render_letters, render_collection_list

``render_letter(letter)`` gives one complete PDF; ``render_letters(letters)`` one PDF with every letter, each
from a new page (the daily print batch); ``render_collection_list(creditor, list_date, rows)`` the Tuesday list.
The wording comes from the template files in ``templates/`` (see :mod:`krav.adapters.pdf.texts`); a creditor's
own wording is used through ``LetterRenderer(LetterTexts([its directory]))``. Output is deterministic: the same
input gives the same bytes.
"""

from krav.adapters.pdf.collection_list import render_collection_list
from krav.adapters.pdf.letters import LetterRenderer, render_letter, render_letters
from krav.adapters.pdf.texts import LetterTexts
from krav.domain.collection.letters import CollectionListRow

__all__ = [
    "CollectionListRow",
    "LetterRenderer",
    "LetterTexts",
    "render_collection_list",
    "render_letter",
    "render_letters",
]
