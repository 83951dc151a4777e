"""Pure codecs: files in as bytes, values out (SAF-T Financial, ledger CSV, bank files); no IO here."""
