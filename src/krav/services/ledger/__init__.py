"""The ledger side: the built-in ledger's use cases (the creditor's books).

It talks to the collection service only through the messages of :mod:`krav.domain.messages`: items submitted,
direct payments and credits reported go out; claim changes and settlements come back and are applied by
:mod:`krav.services.ledger.inbox`. Nothing here reads the collection side's storage or imports its services.
"""

from krav.services.ledger.bank import BankImportReport, BankLine, import_bank_file
from krav.services.ledger.companies import (
    CustomerImport,
    add_account,
    create_company,
    create_company_in,
    customers,
    parse_collection_type,
    save_customers,
    set_voucher_type,
    update_company,
)
from krav.services.ledger.corrections import (
    DueDateChange,
    ExemptChange,
    ItemChangeRefused,
    changes,
    set_customer_exempt,
    set_due_date,
)
from krav.services.ledger.inbox import apply_service_reports
from krav.services.ledger.items import (
    LedgerBalance,
    LedgerRemindersOff,
    balance,
    open_items,
    remind,
    reported_messages,
    set_exempt,
)
from krav.services.ledger.matching import MatchMethod, MatchResult, match_bulk, match_items
from krav.services.ledger.payments import pay_invoice, pay_invoice_in
from krav.services.ledger.posting import (
    PostingResult,
    credit_invoice,
    invoice_item,
    post_batch,
    post_batch_file,
    post_batch_in,
    settlement_postings,
    write_off,
)

__all__ = [
    "BankImportReport",
    "BankLine",
    "CustomerImport",
    "DueDateChange",
    "ExemptChange",
    "ItemChangeRefused",
    "LedgerBalance",
    "LedgerRemindersOff",
    "MatchMethod",
    "MatchResult",
    "PostingResult",
    "add_account",
    "apply_service_reports",
    "balance",
    "changes",
    "create_company",
    "create_company_in",
    "credit_invoice",
    "customers",
    "import_bank_file",
    "invoice_item",
    "match_bulk",
    "match_items",
    "open_items",
    "parse_collection_type",
    "pay_invoice",
    "pay_invoice_in",
    "post_batch",
    "post_batch_file",
    "post_batch_in",
    "remind",
    "reported_messages",
    "save_customers",
    "set_customer_exempt",
    "set_due_date",
    "set_exempt",
    "set_voucher_type",
    "settlement_postings",
    "update_company",
    "write_off",
]
