"""The words for Krav's codes (krav.entrypoints.labels): every code has one in bokmål and in English, a history
written before rule ids were left out of its texts shows none, and the progress bar is drawn only on a terminal
and never more often than it can be read."""

from __future__ import annotations

import io
from enum import Enum
from typing import Any, cast

import pytest
from rich.progress import Progress

from krav.domain.collection.actions import Action
from krav.domain.collection.events import EventKind
from krav.domain.collection.letters import LetterType
from krav.domain.collection.progress import Holding, NextStep
from krav.domain.collection.state import ClosedReason, Stage
from krav.domain.ledger.open_items import SettledStatus
from krav.domain.ledger.voucher_types import DEFAULT_VOUCHER_TYPES, CollectionVoucherType
from krav.domain.party import CustomerKind
from krav.entrypoints import labels
from krav.entrypoints.cli.collection_presenters import history_detail
from krav.entrypoints.cli.progress import Bar, progress
from krav.services.ports import Channel, DeliveryStatus, PaymentStatus

WORDS: list[tuple[type[Enum], dict[Any, labels.Pair]]] = [
    (Stage, labels.STAGES),
    (ClosedReason, labels.CLOSED_REASONS),
    (LetterType, labels.LETTER_TYPES),
    (NextStep, labels.NEXT_STEPS),
    (Holding, labels.HOLDINGS),
    (EventKind, labels.EVENT_KINDS),
    (Action, labels.ACTIONS),
    (PaymentStatus, labels.PAYMENT_STATUSES),
    (DeliveryStatus, labels.DELIVERY_STATUSES),
    (Channel, labels.CHANNELS),
    (SettledStatus, labels.SETTLED_STATUSES),
    (CustomerKind, labels.CUSTOMER_KINDS),
    (CollectionVoucherType, labels.COLLECTION_VOUCHER_TYPES),
]


@pytest.mark.parametrize(("codes", "words"), WORDS, ids=[codes.__name__ for codes, _ in WORDS])
def test_every_code_has_a_word_in_bokmal_and_in_english(codes: type[Enum], words: dict[Any, labels.Pair]) -> None:
    for code in codes:
        nb, en = words[code.value]
        assert nb, code
        assert en, code
        assert "_" not in nb + en, code  # a word, never the code itself (`payment_demand`)


def test_every_default_voucher_type_has_a_word_beside_its_number() -> None:
    for voucher_type in DEFAULT_VOUCHER_TYPES:
        nb = labels.voucher_type(voucher_type.code, labels.Lang.NB)
        assert nb.startswith(f"{voucher_type.code} ")
        assert nb.removeprefix(f"{voucher_type.code} ") == voucher_type.name.lower()  # the chart's own name
        assert labels.voucher_type(voucher_type.code, labels.Lang.EN).startswith(f"{voucher_type.code} ")
    assert labels.voucher_type(11, labels.Lang.EN) == "11 outgoing invoice"
    assert labels.voucher_type(40, labels.Lang.NB) == "40"  # one the creditor added: its number, as it is


def test_the_language_in_use_is_bokmal_until_told_otherwise() -> None:
    assert labels.language() is labels.Lang.NB
    assert labels.stage("legal") == "rettslig inkasso"
    labels.use(labels.Lang.EN)
    try:
        assert labels.stage("legal") == "legal collection"
        assert labels.stage("legal", labels.Lang.NB) == "rettslig inkasso"  # asked for explicitly
        assert labels.headers("due", "remaining") == ["due", "remaining"]
    finally:
        labels.use(labels.Lang.NB)
    assert labels.headers("due", "remaining") == ["forfall", "restbeløp"]


def test_a_history_written_with_rule_ids_shows_none_and_its_codes_as_words() -> None:
    assert history_detail("fee", "notice fee (R-CLM-3)") == "notice fee"
    assert history_detail("salaer", "raised to heavy salær (R-CLM-5, R-CLM-13)") == "raised to heavy salær"
    assert history_detail("letter", "payment_demand") == "betalingsoppfordring"
    assert history_detail("stage", "collection_list") == "inkassoliste"
    assert history_detail("closed", "objection_upheld") == "innsigelsen tatt til følge"
    assert history_detail("message", "Ring meg (R-2 på døra)") == "Ring meg (R-2 på døra)"  # a person's text


# -- the progress bar ---------------------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_progress_is_drawn_where_nobody_watches() -> None:
    piped = io.StringIO()
    with progress("importerer kunder.csv", stream=piped) as bar:
        bar("steps", 1, 9)
    assert piped.getvalue() == ""


def test_progress_is_drawn_on_a_terminal_and_gone_when_the_work_is() -> None:
    terminal = _Terminal()
    with progress("importerer kunder.csv", stream=terminal) as bar:
        bar("deliveries", 3, 4)
    drawn = terminal.getvalue()
    assert "sender brev og lister" in drawn  # the task, in the language of the tables
    assert "3/4" in drawn


class _Counting:
    """A progress display that counts how often it is redrawn."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []

    def update(self, task: int, **fields: Any) -> None:
        self.updates.append(fields)


def test_a_bar_told_of_every_unit_redraws_at_most_ten_times_a_second_and_always_at_the_end() -> None:
    shown = _Counting()
    bar = Bar(cast(Progress, shown), cast(Any, 0))
    for done in range(1, 10_001):
        bar("steps", done, 10_000)
    assert len(shown.updates) <= 10
    assert shown.updates[-1]["completed"] == 10_000
