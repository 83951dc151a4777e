"""``python -m krav.entrypoints.cli``: the same as ``krav``."""

from krav.entrypoints.cli import main

main()
