"""A debtor's personal data: how long the books keep it, and what is left of a customer once it is erased.

The personal data regulation (personvernforordningen, GDPR, as Norwegian law by personopplysningsloven § 1) gives
the debtor a right of access (art. 15), to have processing restricted (art. 18) and to erasure (art. 17). Erasure
gives way to a legal obligation to keep (art. 17(3)(b)): bokføringsloven § 13 keeps the accounting records
(primary documentation, the specifications of the books) five years after the end of the financial year. Krav's
financial year is the calendar year, so a record of any day of a year is kept until the end of the fifth year after
it, and may be erased from the first day of the sixth.

>>> retention_ends(date(2025, 3, 14))
datetime.date(2030, 12, 31)
>>> erasable_from(date(2025, 12, 31))
datetime.date(2031, 1, 1)
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from krav.domain.party import Address, Customer, CustomerKind

#: bokføringsloven § 13 first paragraph: five years after the end of the financial year
RETENTION_YEARS = 5

#: What stands in an erased customer's name, wherever the name was copied.
ERASED = "[slettet]"


def retention_ends(latest_record: date) -> date:
    """The last day the accounting record dated ``latest_record`` must be kept (bokføringsloven § 13): the end of
    the fifth calendar year after its year."""
    return date(latest_record.year + RETENTION_YEARS, 12, 31)


def erasable_from(latest_record: date | None) -> date | None:
    """The first day a customer whose latest accounting record is dated ``latest_record`` may be erased (None:
    there is no record to keep, so at once)."""
    if latest_record is None:
        return None
    return date(latest_record.year + RETENTION_YEARS + 1, 1, 1)


def erased(customer: Customer, on: date) -> Customer:
    """``customer`` with its personal fields erased on ``on``: the name replaced by :data:`ERASED`, the address
    (the country kept), the e-mail and its consent gone, and the organisation number of a consumer (where one was
    recorded it may be a national identity number) gone. The number, kind, language and terms stay: the books name
    the customer by number, and the number alone identifies no one outside the creditor's books. A business's
    organisation number is the public identity of a legal person, not a person's data, and stays."""
    orgno = customer.orgno if customer.kind is CustomerKind.BUSINESS else None
    return replace(
        customer,
        name=ERASED,
        orgno=orgno,
        address=Address(country=customer.address.country),
        email=None,
        email_for_letters=False,
        erased_on=on,
    )
