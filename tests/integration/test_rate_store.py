"""The rate table in use, on files: the built-in one, one loaded with ``krav rates load`` into ``$KRAV_HOME``, or
``KRAV_RATES_FILE``; a newer table loaded whole or not at all, and used by every command from then on (DOMAIN.md
section 8: rates ship as data, updatable without a release)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import pytest

from krav.adapters.rate_store import RateStore
from krav.bootstrap import bootstrap, sandbox
from krav.config import get_settings
from krav.domain.errors import Conflict, FileFormatError
from krav.domain.rates import RateOrigin, RateTableRefused, parse_rate_tables

BUILT_IN = files("krav").joinpath("data", "rates.toml").read_text(encoding="utf-8")
NOW = datetime(2026, 12, 18, 9, 30, tzinfo=UTC)

NEXT_HALF_YEAR = """
[[interest]]
valid_from = 2027-01-01
rate = "11.75"
source = "Finansdepartementet, forskrift om forsinkelsesrente fra 1. januar 2027"

[[standard_compensation]]
valid_from = 2027-01-01
amount = "440.00"
source = "Finansdepartementet, forskrift om forsinkelsesrente fra 1. januar 2027"
"""
NEWER = BUILT_IN + NEXT_HALF_YEAR


@pytest.fixture
def store(tmp_path: Path) -> RateStore:
    return RateStore(tmp_path / "home")


def _load(store: RateStore, text: str, name: str = "newer.toml") -> None:
    store.load(text.encode(), file=name, now=NOW)


def test_without_a_loaded_table_the_built_in_one_is_in_use(store: RateStore) -> None:
    in_use = store.in_use()
    assert in_use.origin is RateOrigin.BUILT_IN
    assert (in_use.path, in_use.loaded_from, in_use.loaded_at, in_use.set_aside) == (None, None, None, None)
    assert in_use.text == BUILT_IN
    assert in_use.tables == parse_rate_tables(BUILT_IN)


def test_a_newer_table_is_stored_under_the_home_and_used_from_then_on(store: RateStore, tmp_path: Path) -> None:
    newer = tmp_path / "rates-2027.toml"
    newer.write_text(NEWER, encoding="utf-8")
    loaded = store.load(newer.read_bytes(), file=str(newer), now=NOW)
    assert loaded.update.added == (
        "[[interest]] 2027-01-01: rate 11.75",
        "[[standard_compensation]] 2027-01-01: amount 440.00",
    )
    assert loaded.replaced is None
    in_use = store.in_use()
    assert in_use == loaded.in_use
    assert in_use.origin is RateOrigin.LOADED
    assert in_use.path == str(store.stored_path)
    assert (in_use.loaded_from, in_use.loaded_at) == (str(newer.resolve()), NOW)
    assert in_use.text == NEWER  # without Krav's lines: ready to export, edit and load again
    assert in_use.tables.known_until() == date(2027, 6, 30)
    stored = store.stored_path.read_text(encoding="utf-8")
    assert stored.startswith(
        f'# krav-loaded-from = "{newer.resolve()}"\n# krav-loaded-at = 2026-12-18T09:30:00+00:00\n'
    )
    assert stored.endswith(NEWER)


def test_a_table_loaded_again_keeps_the_one_it_replaces(store: RateStore) -> None:
    _load(store, NEWER)
    later = NEWER + NEXT_HALF_YEAR.replace("2027-01-01", "2027-07-01").replace("11.75", "11.50")
    loaded = store.load(later.encode(), file="later.toml", now=NOW)
    assert loaded.replaced is not None
    kept = Path(loaded.replaced)
    assert kept.parent == store.replaced_dir
    assert kept.read_text(encoding="utf-8").endswith(NEWER)
    assert store.in_use().tables.known_until() == date(2027, 12, 31)
    assert store.load(later.encode(), file="later.toml", now=NOW).replaced != loaded.replaced


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            NEWER.replace(
                'rate = "12.25"\nsource = "Finansdepartementet, forskrift 23.', 'rate = "12.00"\nsource = "x'
            ),
            "[[interest]] valid_from 2025-07-01: rate: is 12.00 here but 12.25 in the table in use",
        ),
        (
            BUILT_IN.replace(
                '[[inkassosats]]\nvalid_from = 2015-01-01\namount = "650.00"',
                "[[inkassosats]]\nvalid_from = 2015-01-01\namount = 650.00",
            ),
            "[[inkassosats]] entry 1 (valid_from 2015-01-01): amount must be a decimal written as a string",
        ),
        (
            NEWER.replace('source = "Finansdepartementet, forskrift om forsinkelsesrente fra 1. januar 2027"', "", 1),
            "[[interest]] entry 25 (valid_from 2027-01-01): source is missing",
        ),
        (
            BUILT_IN + NEXT_HALF_YEAR.replace("2027-01-01", "2026-07-01"),
            "[[interest]] entry 25 (valid_from 2026-07-01): valid_from 2026-07-01 is not after the previous entry's",
        ),
        (
            NEWER.replace('amount = "440.00"', 'amount = "-440.00"'),
            "amount is not a decimal number: '-440.00'",
        ),
        ("[[interest]\n", "the file: not valid TOML"),
    ],
)
def test_a_refused_table_changes_nothing_and_names_the_entry_and_field(
    store: RateStore, text: str, problem: str
) -> None:
    _load(store, NEWER)
    before = store.stored_path.read_bytes()
    with pytest.raises(RateTableRefused) as refused:
        _load(store, text, "bad.toml")
    assert str(refused.value).startswith("bad.toml: not loaded, nothing changed;")
    assert problem in str(refused.value)
    assert store.stored_path.read_bytes() == before
    assert not store.replaced_dir.exists()
    assert sorted(p.name for p in store.stored_path.parent.iterdir()) == ["current.toml"]


def test_a_file_that_is_not_utf_8_is_refused(store: RateStore) -> None:
    with pytest.raises(RateTableRefused, match=r"(?s)bad.toml: not loaded, nothing changed.*the file: not UTF-8 text"):
        store.load(b"\xff\xfe", file="bad.toml", now=NOW)
    assert not store.stored_path.exists()


def test_a_newer_table_must_keep_what_the_loaded_one_added(store: RateStore) -> None:
    _load(store, NEWER)
    with pytest.raises(RateTableRefused, match=r"\[\[interest\]\] valid_from 2027-01-01: missing: the table in use"):
        _load(store, BUILT_IN)


def test_a_correction_must_be_kept_against_the_built_in_table_even_when_the_loaded_one_has_it(
    store: RateStore,
) -> None:
    start = BUILT_IN.index("[[standard_compensation]]\nvalid_from = 2023-07-01")
    corrected = BUILT_IN[:start] + BUILT_IN[start:].replace(
        'amount = "410.00"', 'amount = "460.00"\ncorrection = "FOR-2023-06-22-1075 § 2: 460 kroner"', 1
    )
    loaded = store.load(corrected.encode(), file="corrected.toml", now=NOW)
    assert loaded.update.corrected == (
        "[[standard_compensation]] 2023-07-01: amount 410.00 → 460.00 (FOR-2023-06-22-1075 § 2: 460 kroner)",
    )
    assert store.in_use().tables.standard_compensation(date(2023, 8, 1)).amount == Decimal("460.00")
    without_why = corrected.replace('\ncorrection = "FOR-2023-06-22-1075 § 2: 460 kroner"', "")
    with pytest.raises(RateTableRefused, match=r"amount: is 460.00 here but 410.00 in the built-in table"):
        _load(store, without_why)


def test_krav_rates_file_wins_and_a_table_cannot_be_loaded_under_it(tmp_path: Path) -> None:
    configured = tmp_path / "operator.toml"
    configured.write_text(NEWER, encoding="utf-8")
    store = RateStore(tmp_path / "home", configured)
    in_use = store.in_use()
    assert (in_use.origin, in_use.path) == (RateOrigin.CONFIGURED, str(configured.resolve()))
    with pytest.raises(Conflict, match=r"KRAV_RATES_FILE is set .* unset it to load newer.toml"):
        _load(store, NEWER)
    assert not store.stored_path.exists()
    with pytest.raises(FileFormatError, match=r"nope.toml: cannot read the rates file \(KRAV_RATES_FILE\)"):
        RateStore(tmp_path / "home", tmp_path / "nope.toml").in_use()


def test_a_loaded_table_older_than_this_releases_built_in_one_is_set_aside(store: RateStore) -> None:
    """After an upgrade whose built-in table has a half-year the loaded table lacks, the built-in one is used."""
    last = BUILT_IN.index("[[interest]]\nvalid_from = 2026-07-01")
    older = BUILT_IN[:last] + BUILT_IN[BUILT_IN.index("\n\n", last) + 2 :]
    store.stored_path.parent.mkdir(parents=True)
    store.stored_path.write_text('# krav-loaded-from = "old.toml"\n' + older, encoding="utf-8")
    in_use = store.in_use()
    assert in_use.origin is RateOrigin.BUILT_IN
    assert in_use.set_aside is not None
    assert "does not keep this release's built-in table" in in_use.set_aside
    assert "[[interest]] valid_from 2026-07-01: missing" in in_use.set_aside


def test_a_damaged_loaded_table_is_set_aside_for_the_built_in_one(store: RateStore) -> None:
    store.stored_path.parent.mkdir(parents=True)
    store.stored_path.write_text("[[interest]\n", encoding="utf-8")
    in_use = store.in_use()
    assert in_use.origin is RateOrigin.BUILT_IN
    assert in_use.set_aside is not None
    assert "the loaded table is damaged" in in_use.set_aside
    _load(store, NEWER)  # and a good table can be loaded over it
    assert store.in_use().origin is RateOrigin.LOADED


def test_the_table_in_use_is_read_again_when_its_file_changes(store: RateStore) -> None:
    _load(store, NEWER)
    first = store.in_use().tables
    assert store.in_use().tables is first  # not parsed again while the file is the same
    later = NEWER + NEXT_HALF_YEAR.replace("2027-01-01", "2027-07-01")
    _load(store, later)
    assert store.in_use().tables.known_until() == date(2027, 12, 31)


def test_every_command_and_the_sandbox_use_the_loaded_table(krav_home: Path) -> None:
    """bootstrap wires the table in use into the app (runs, queries, letters) and into the what-if sandbox."""
    get_settings.cache_clear()
    app = bootstrap()
    try:
        assert app.rates.known_until() == date(2026, 12, 31)
        _load(app.rate_store, NEWER)
        assert app.rate_store.stored_path == krav_home / "rates" / "current.toml"
        assert app.rates.interest_rate(date(2027, 2, 1)).from_table
        assert app.collaborators(inbox=False).rates.known_until() == date(2027, 6, 30)
    finally:
        app.close()
    with sandbox() as what_if:
        assert what_if.settings.home != krav_home
        assert what_if.rates.standard_compensation(date(2027, 2, 1)).amount == Decimal("440.00")
