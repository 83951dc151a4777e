"""Krav: Norwegian debt collection, from the creditor's ledger through reminder, collection notice and inkasso,
and the money booked back into the ledger."""

__version__ = "0.1.0"
__all__ = ["__version__"]
