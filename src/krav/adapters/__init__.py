"""Adapters: storage, files, mail, PDF — the IO around the pure core."""
