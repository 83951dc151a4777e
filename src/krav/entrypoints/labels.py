"""The words a person reads for Krav's codes, in bokmål (the default) and English: one place for every label.

Krav's data speaks in codes — a claim's stage ``notice``, a letter's type ``payment_demand``, voucher type ``11``,
settled status ``2``, a delivery ``failed`` — and ``--json`` keeps printing them, for scripts. A table prints the
word instead: ``inkassovarsel``, ``betalingsoppfordring``, ``11 utgående faktura``, ``delvis åpen``, ``feilet``;
with ``krav --lang en`` (or ``KRAV_LANG=en``) the English one. The column headers of the tables come from here
too (:data:`HEADERS`).

The language is chosen once per command (:func:`use`, by the ``krav`` callback) and read where a table is drawn
(:func:`language`); every function here also takes ``lang`` to ask for one language explicitly. A code with no
word here (a voucher type the creditor added, say) is shown as it is.

>>> stage("collection_list", Lang.NB), stage("collection_list", Lang.EN)
('inkassoliste', 'collection list')
>>> voucher_type(11, Lang.NB), settled_status(2, Lang.EN), voucher_type(40, Lang.NB)
('11 utgående faktura', 'partly open', '40')
>>> header("remaining", Lang.NB), header("remaining", Lang.EN)
('restbeløp', 'remaining')
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from enum import StrEnum

from krav.domain.collection.actions import Action
from krav.domain.collection.events import EventKind
from krav.domain.collection.letters import LetterType
from krav.domain.collection.progress import Holding, NextStep
from krav.domain.collection.state import ClosedReason, Stage
from krav.domain.ledger import voucher_types as vt
from krav.domain.ledger.open_items import SettledStatus
from krav.domain.ledger.voucher_types import CollectionVoucherType
from krav.domain.party import CustomerKind
from krav.services.ports import Channel, DeliveryStatus, PaymentStatus

__all__ = [
    "ACTIONS",
    "CHANNELS",
    "CLOSED_REASONS",
    "COLLECTION_VOUCHER_TYPES",
    "CUSTOMER_KINDS",
    "DELIVERY_STATUSES",
    "EVENT_KINDS",
    "HEADERS",
    "HOLDINGS",
    "IMPORT_RULES",
    "LETTER_TYPES",
    "NEXT_STEPS",
    "PAYMENT_STATUSES",
    "SETTLED_STATUSES",
    "STAGES",
    "VOUCHER_TYPES",
    "WORDS",
    "Lang",
    "action",
    "channel",
    "closed_reason",
    "customer_kind",
    "delivery_status",
    "event_kind",
    "header",
    "headers",
    "holding",
    "import_rule",
    "language",
    "letter_type",
    "next_step",
    "payment_status",
    "settled_status",
    "stage",
    "use",
    "voucher_type",
    "word",
]


class Lang(StrEnum):
    """The languages of the tables: bokmål and English."""

    NB = "nb"
    EN = "en"


#: A code and its words: (bokmål, English).
Pair = tuple[str, str]

_current: ContextVar[Lang] = ContextVar("krav_lang", default=Lang.NB)


def use(lang: Lang) -> None:
    """Draw the tables in ``lang`` from now on (the ``krav`` callback, from ``--lang`` or ``KRAV_LANG``)."""
    _current.set(lang)


def language() -> Lang:
    """The language the tables are drawn in: bokmål unless ``--lang en`` or ``KRAV_LANG=en`` said otherwise."""
    return _current.get()


def _pick(pair: Pair, lang: Lang | None) -> str:
    return pair[1] if (lang or _current.get()) is Lang.EN else pair[0]


def _look_up(words: Mapping[str, Pair], code: str, lang: Lang | None) -> str:
    pair = words.get(code)
    return code if pair is None else _pick(pair, lang)


# -- the collection service -------------------------------------------------------------------------------------

STAGES: dict[str, Pair] = {
    Stage.NEW: ("ny", "new"),
    Stage.REMINDER: ("betalingspåminnelse", "payment reminder"),
    Stage.NOTICE: ("inkassovarsel", "collection notice"),
    Stage.COLLECTION_LIST: ("inkassoliste", "collection list"),
    Stage.INKASSO: ("inkasso", "debt collection"),
    Stage.LEGAL: ("rettslig inkasso", "legal collection"),
    Stage.CLOSED: ("avsluttet", "closed"),
}

CLOSED_REASONS: dict[str, Pair] = {
    ClosedReason.PAID: ("betalt", "paid"),
    ClosedReason.CREDITED: ("kreditert", "credited"),
    ClosedReason.CLOSED_BY_CREDITOR: ("lukket av kreditor", "closed by the creditor"),
    ClosedReason.PAUSE_EXPIRED: ("pausen løp ut", "pause expired"),
    ClosedReason.OBJECTION_UPHELD: ("innsigelsen tatt til følge", "objection upheld"),
}

LETTER_TYPES: dict[str, Pair] = {
    LetterType.REMINDER: ("betalingspåminnelse", "payment reminder"),
    LetterType.NOTICE: ("inkassovarsel", "collection notice"),
    LetterType.INTEREST_NOTE: ("rentenota", "interest note"),
    LetterType.PAYMENT_DEMAND: ("betalingsoppfordring", "payment demand"),
    LetterType.LEGAL_NOTICE: ("varsel om rettslig inkasso", "notice of legal collection"),
    LetterType.PAID_CONFIRMATION: ("betalingsbekreftelse", "payment confirmation"),
    LetterType.OBJECTION_ANSWER: ("svar på innsigelse", "answer to objection"),
}

NEXT_STEPS: dict[str, Pair] = {
    NextStep.FIRST_LETTER: ("første brev", "first letter"),
    NextStep.NOTICE: ("inkassovarsel", "collection notice"),
    NextStep.COLLECTION_LIST: ("inkassoliste", "collection list"),
    NextStep.INKASSO: ("til inkasso", "to debt collection"),
    NextStep.LEGAL_NOTICE: ("varsel om rettslig inndriving", "notice of legal collection"),
    NextStep.LEGAL: ("rettslig inndriving", "legal collection"),
    NextStep.LETTER: ("brev", "letter"),
    NextStep.PAUSE_ENDS: ("lukkes", "closes"),
}

HOLDINGS: dict[str, Pair] = {
    Holding.PAUSED: ("på pause", "paused"),
    Holding.DISPUTED: ("bestridt: venter på svar på innsigelsen", "disputed: waits for the objection's answer"),
    Holding.AWAITING_APPROVAL: (
        "venter på godkjenning (krav claims approve)",
        "waits for approval (krav claims approve)",
    ),
    Holding.LETTER_UNSENT: (
        "venter: siste brev er ikke sendt (krav outbox status)",
        "waits: its latest letter is not sent (krav outbox status)",
    ),
}

EVENT_KINDS: dict[str, Pair] = {
    EventKind.SUBMITTED: ("sendt til innfordring", "submitted"),
    EventKind.LETTER: ("brev", "letter"),
    EventKind.STAGE: ("nytt steg", "stage"),
    EventKind.FEE: ("gebyr", "fee"),
    EventKind.SALAER: ("salær", "salær"),
    EventKind.PAYMENT: ("innbetaling", "payment"),
    EventKind.DIRECT_PAYMENT: ("innbetalt til kreditor", "paid to the creditor"),
    EventKind.CREDIT: ("kreditnota", "credit note"),
    EventKind.INTEREST_WAIVED: ("renter frafalt", "interest waived"),
    EventKind.COSTS_WAIVED: ("kostnader frafalt", "costs waived"),
    EventKind.OBJECTION: ("innsigelse", "objection"),
    EventKind.CLOSED: ("avsluttet", "closed"),
    EventKind.ACTION: ("handling", "action"),
    EventKind.ACTION_REFUSED: ("handling avvist", "action refused"),
    EventKind.MESSAGE: ("melding", "message"),
    EventKind.ANSWER: ("svar", "answer"),
    EventKind.APPROVED: ("godkjent", "approved"),
    EventKind.COSTS_INVOICED: ("kostnader fakturert", "costs invoiced"),
    EventKind.HELD: ("holdt igjen", "held"),
    EventKind.DELIVERY: ("levering", "delivery"),
}

ACTIONS: dict[str, Pair] = {
    Action.PAUSE: ("pause", "pause"),
    Action.RESUME: ("gjenoppta", "resume"),
    Action.CLOSE: ("lukk", "close"),
    Action.MESSAGE: ("melding", "message"),
    Action.DISPUTE: ("innsigelse", "dispute"),
    Action.REJECT: ("avvis innsigelsen", "reject the objection"),
    Action.UPHOLD: ("ta innsigelsen til følge", "uphold the objection"),
}

PAYMENT_STATUSES: dict[str, Pair] = {
    PaymentStatus.PENDING: ("venter på dagens kjøring", "waits for the day's run"),
    PaymentStatus.APPLIED: ("ført", "applied"),
    PaymentStatus.UNMATCHED: ("til manuell avstemming", "for manual matching"),
    PaymentStatus.DUPLICATE: ("duplikat", "duplicate"),
}

DELIVERY_STATUSES: dict[str, Pair] = {
    DeliveryStatus.PENDING: ("venter", "pending"),
    DeliveryStatus.SENDING: ("sendes", "sending"),
    DeliveryStatus.SENT: ("sendt", "sent"),
    DeliveryStatus.FAILED: ("feilet", "failed"),
    DeliveryStatus.UNCERTAIN: ("usikker", "uncertain"),
    DeliveryStatus.BOUNCED: ("avvist", "bounced"),
    DeliveryStatus.CANCELLED: ("kansellert", "cancelled"),
}

CHANNELS: dict[str, Pair] = {
    Channel.EMAIL: ("e-post", "e-mail"),
    Channel.PRINT: ("papir", "print"),
}

# -- the ledger ---------------------------------------------------------------------------------------------------

#: The default voucher types (bilagsarter); a type the creditor added keeps its number alone.
VOUCHER_TYPES: dict[int, Pair] = {
    vt.BANK: ("bank", "bank"),
    vt.WRITE_OFF: ("tapsføring / korrigering", "write-off / correction"),
    vt.OUTGOING_INVOICE: ("utgående faktura", "outgoing invoice"),
    vt.OUTGOING_CREDIT_NOTE: ("utgående kreditnota", "outgoing credit note"),
    vt.INTEREST: ("renter", "interest"),
    vt.FEE: ("gebyr", "fee"),
    vt.COLLECTION_SETTLEMENT: ("inkassooppgjør", "collection settlement"),
}

COLLECTION_VOUCHER_TYPES: dict[str, Pair] = {
    CollectionVoucherType.INVOICE: ("faktura", "invoice"),
    CollectionVoucherType.PAYMENT: ("innbetaling", "payment"),
    CollectionVoucherType.CREDIT: ("kreditnota", "credit note"),
    CollectionVoucherType.INTEREST_AND_FEES: ("renter og gebyr", "interest and fees"),
    CollectionVoucherType.SETTLEMENT: ("oppgjør", "settlement"),
    CollectionVoucherType.NONE: ("meldes ikke", "not reported"),
}

#: The settled status of an open item (oppgjortstatus): 1, 2 or 3.
SETTLED_STATUSES: dict[int, Pair] = {
    SettledStatus.OPEN: ("åpen", "open"),
    SettledStatus.PARTLY_OPEN: ("delvis åpen", "partly open"),
    SettledStatus.SETTLED: ("oppgjort", "settled"),
}

#: Where an imported item's number or due date came from (SAF-T's own field names stay as they are).
IMPORT_RULES: dict[str, Pair] = {
    "opening balance": ("inngående saldo", "opening balance"),
    "customer terms": ("kundens betalingsfrist", "the customer's terms"),
    "customer_terms": ("kundens betalingsfrist", "the customer's terms"),
    "default terms": ("avtalens standardfrist", "the default terms"),
    "none (credit)": ("ingen (kreditpost)", "none (a credit)"),
    "number": ("fakturanummer", "invoice number"),
    "due_date": ("forfallsdato", "due date"),
    "none": ("ingen", "none"),
}

CUSTOMER_KINDS: dict[str, Pair] = {
    CustomerKind.CONSUMER: ("forbruker", "consumer"),
    CustomerKind.BUSINESS: ("næringsdrivende", "business"),
}

# -- the tables' fixed words and column headers -----------------------------------------------------------------

#: Fixed words in the tables' cells.
WORDS: dict[str, Pair] = {
    "yes": ("ja", "yes"),
    "not sent": ("ikke sendt", "not sent"),
    "ok": ("ok", "ok"),
    "not valid": ("ikke gyldig", "not valid"),
    "from": ("fra", "from"),
    "no open claims": ("ingen åpne krav (--all: også avsluttede)", "no open claims (--all: closed too)"),
    "progress run": ("kjører dagen", "running the day"),
    "progress steps": ("dagens steg", "the day's steps"),
    "progress deliveries": ("sender brev og lister", "sending letters and lists"),
    "progress days": ("simulerer dagene", "simulating the days"),
    "progress demo": ("kjører innfordringsdagene", "running the collection days"),
    "progress import": ("importerer", "importing"),
    "progress send": ("sender det som venter i utboksen", "sending what waits in the outbox"),
    "interest last reported": (
        "renter sist meldt: slik innfordringstjenesten meldte dem da kravet sist endret seg (brev, betaling, nytt "
        "steg); renter til i dag: krav claims list",
        "interest last reported: as the collection service reported it when the claim last changed (a letter, a "
        "payment, a new stage); interest to today: krav claims list",
    ),
}

#: The tables' column headers, by their English name.
HEADERS: dict[str, Pair] = {
    "id": ("id", "id"),
    "orgno": ("orgnr", "orgno"),
    "name": ("navn", "name"),
    "bank account": ("bankkonto", "bank account"),
    "customer": ("kunde", "customer"),
    "number": ("nummer", "number"),
    "voucher type": ("bilagsart", "voucher type"),
    "date": ("dato", "date"),
    "due": ("forfall", "due"),
    "amount": ("beløp", "amount"),
    "remaining": ("restbeløp", "remaining"),
    "currency": ("valuta", "cur"),
    "status": ("status", "status"),
    "collection id": ("innfordrings-id", "collection id"),
    "fee last reported": ("gebyr sist meldt", "fee last reported"),
    "interest last reported": ("renter sist meldt", "interest last reported"),
    "kind": ("type", "kind"),
    "street": ("gate", "street"),
    "postcode": ("postnr", "postcode"),
    "city": ("poststed", "city"),
    "e-mail": ("e-post", "e-mail"),
    "letters by e-mail": ("brev på e-post", "letters by e-mail"),
    "exempt": ("purrefritak", "exempt"),
    "account": ("konto", "account"),
    "balance": ("saldo", "balance"),
    "number from": ("nummer fra", "number from"),
    "due date from": ("forfall fra", "due date from"),
    "field": ("felt", "field"),
    "value": ("verdi", "value"),
    "invoice": ("faktura", "invoice"),
    "sendable from": ("kan sendes fra", "sendable from"),
    "by": ("av", "by"),
    "what": ("hva", "what"),
    "old": ("før", "old"),
    "new": ("nå", "new"),
    "debtor": ("skyldner", "debtor"),
    "stage": ("steg", "stage"),
    "principal": ("hovedstol", "principal"),
    "fee": ("gebyr", "fee"),
    "interest": ("renter", "interest"),
    "interest to": ("renter til", "interest to"),
    "salær": ("salær", "salær"),
    "owed": ("å betale", "owed"),
    "next": ("neste", "next"),
    "detail": ("detalj", "detail"),
    "written": ("skrevet", "written"),
    "sent": ("sendt", "sent"),
    "delivery": ("levering", "delivery"),
    "n": ("nr", "n"),
    "letter type": ("brevtype", "type"),
    "deadline": ("frist", "deadline"),
    "KID": ("KID", "KID"),
    "total": ("sum", "total"),
    "invoices": ("fakturaer", "invoices"),
    "received": ("mottatt", "received"),
    "ordered": ("betalt", "ordered"),
    "reason": ("årsak", "reason"),
    "reference": ("referanse", "reference"),
    "overpaid": ("overbetalt", "overpaid"),
    "remitted": ("utbetalt", "remitted"),
}


def stage(code: str, lang: Lang | None = None) -> str:
    """A claim's stage: ``notice`` → ``inkassovarsel`` (``collection notice``)."""
    return _look_up(STAGES, code, lang)


def closed_reason(code: str, lang: Lang | None = None) -> str:
    """Why a claim closed: ``closed_by_creditor`` → ``lukket av kreditor``."""
    return _look_up(CLOSED_REASONS, code, lang)


def letter_type(code: str, lang: Lang | None = None) -> str:
    """A letter's type: ``payment_demand`` → ``betalingsoppfordring`` (``payment demand``)."""
    return _look_up(LETTER_TYPES, code, lang)


def next_step(code: str, lang: Lang | None = None) -> str:
    """A claim's next step: ``inkasso`` → ``til inkasso``."""
    return _look_up(NEXT_STEPS, code, lang)


def holding(code: str, lang: Lang | None = None) -> str:
    """What holds a claim: ``paused`` → ``på pause``."""
    return _look_up(HOLDINGS, code, lang)


def event_kind(code: str, lang: Lang | None = None) -> str:
    """An event in a claim's history: ``fee`` → ``gebyr``."""
    return _look_up(EVENT_KINDS, code, lang)


def action(code: str, lang: Lang | None = None) -> str:
    """A creditor's action on a claim: ``resume`` → ``gjenoppta``."""
    return _look_up(ACTIONS, code, lang)


def payment_status(code: str, lang: Lang | None = None) -> str:
    """A client-account payment's status: ``unmatched`` → ``til manuell avstemming``."""
    return _look_up(PAYMENT_STATUSES, code, lang)


def delivery_status(code: str, lang: Lang | None = None) -> str:
    """A delivery's status: ``failed`` → ``feilet``."""
    return _look_up(DELIVERY_STATUSES, code, lang)


def channel(code: str, lang: Lang | None = None) -> str:
    """How a letter goes: ``print`` → ``papir``."""
    return _look_up(CHANNELS, code, lang)


def voucher_type(code: int, lang: Lang | None = None) -> str:
    """A voucher type with its number beside the word, ``11 utgående faktura``; a type the creditor added: its
    number."""
    pair = VOUCHER_TYPES.get(code)
    return str(code) if pair is None else f"{code} {_pick(pair, lang)}"


def collection_voucher_type(code: str, lang: Lang | None = None) -> str:
    """What a voucher type means to collection: ``interest_and_fees`` → ``renter og gebyr``."""
    return _look_up(COLLECTION_VOUCHER_TYPES, code, lang)


def settled_status(code: int, lang: Lang | None = None) -> str:
    """An open item's settled status: 1 ``åpen``, 2 ``delvis åpen``, 3 ``oppgjort``."""
    pair = SETTLED_STATUSES.get(code)
    return str(code) if pair is None else _pick(pair, lang)


def import_rule(code: str, lang: Lang | None = None) -> str:
    """Where an imported item's number or due date came from: ``customer_terms`` → ``kundens betalingsfrist``."""
    return _look_up(IMPORT_RULES, code, lang)


def customer_kind(code: str, lang: Lang | None = None) -> str:
    """A customer's kind: ``business`` → ``næringsdrivende``."""
    return _look_up(CUSTOMER_KINDS, code, lang)


def word(key: str, lang: Lang | None = None) -> str:
    """A fixed word of a table (:data:`WORDS`): ``yes`` → ``ja``."""
    return _pick(WORDS[key], lang)


def header(key: str, lang: Lang | None = None) -> str:
    """A column header by its English name (:data:`HEADERS`): ``due`` → ``forfall``."""
    return _pick(HEADERS[key], lang)


def headers(*keys: str, lang: Lang | None = None) -> list[str]:
    """Column headers by their English names, in order."""
    return [header(key, lang) for key in keys]
