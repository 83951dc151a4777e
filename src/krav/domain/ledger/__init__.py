"""The creditor's books: accounts, voucher types, vouchers and batches, open items and matching (R-LED-*)."""
