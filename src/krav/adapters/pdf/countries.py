"""The name of a debtor's country on the last line of the address, in the letter's language (R-SVC-1).

A letter abroad ends its address with the country's name in capitals, as the Universal Postal Union's convention
and Posten ask (the name, never the ISO code: a sorting office abroad reads "SVERIGE" or "SWEDEN", not "SE").
No country library is installed with Krav, so the names are kept here for the countries Norwegian creditors'
customers live in; a code not in the table is printed as given, which the validation of addresses lets through
only as an ISO 3166 alpha-2 code.
"""

from __future__ import annotations

#: ISO 3166-1 alpha-2 code → (bokmål, English) name, as printed on the address's last line.
COUNTRIES: dict[str, tuple[str, str]] = {
    "AE": ("DE FORENTE ARABISKE EMIRATER", "UNITED ARAB EMIRATES"),
    "AF": ("AFGHANISTAN", "AFGHANISTAN"),
    "AL": ("ALBANIA", "ALBANIA"),
    "AR": ("ARGENTINA", "ARGENTINA"),
    "AT": ("ØSTERRIKE", "AUSTRIA"),
    "AU": ("AUSTRALIA", "AUSTRALIA"),
    "BA": ("BOSNIA-HERCEGOVINA", "BOSNIA AND HERZEGOVINA"),
    "BE": ("BELGIA", "BELGIUM"),
    "BG": ("BULGARIA", "BULGARIA"),
    "BR": ("BRASIL", "BRAZIL"),
    "CA": ("CANADA", "CANADA"),
    "CH": ("SVEITS", "SWITZERLAND"),
    "CN": ("KINA", "CHINA"),
    "CY": ("KYPROS", "CYPRUS"),
    "CZ": ("TSJEKKIA", "CZECHIA"),
    "DE": ("TYSKLAND", "GERMANY"),
    "DK": ("DANMARK", "DENMARK"),
    "EE": ("ESTLAND", "ESTONIA"),
    "EG": ("EGYPT", "EGYPT"),
    "ER": ("ERITREA", "ERITREA"),
    "ES": ("SPANIA", "SPAIN"),
    "ET": ("ETIOPIA", "ETHIOPIA"),
    "FI": ("FINLAND", "FINLAND"),
    "FO": ("FÆRØYENE", "FAROE ISLANDS"),
    "FR": ("FRANKRIKE", "FRANCE"),
    "GB": ("STORBRITANNIA", "UNITED KINGDOM"),
    "GL": ("GRØNLAND", "GREENLAND"),
    "GR": ("HELLAS", "GREECE"),
    "HR": ("KROATIA", "CROATIA"),
    "HU": ("UNGARN", "HUNGARY"),
    "IE": ("IRLAND", "IRELAND"),
    "IL": ("ISRAEL", "ISRAEL"),
    "IN": ("INDIA", "INDIA"),
    "IQ": ("IRAK", "IRAQ"),
    "IR": ("IRAN", "IRAN"),
    "IS": ("ISLAND", "ICELAND"),
    "IT": ("ITALIA", "ITALY"),
    "JP": ("JAPAN", "JAPAN"),
    "KR": ("SØR-KOREA", "SOUTH KOREA"),
    "LI": ("LIECHTENSTEIN", "LIECHTENSTEIN"),
    "LK": ("SRI LANKA", "SRI LANKA"),
    "LT": ("LITAUEN", "LITHUANIA"),
    "LU": ("LUXEMBOURG", "LUXEMBOURG"),
    "LV": ("LATVIA", "LATVIA"),
    "MA": ("MAROKKO", "MOROCCO"),
    "ME": ("MONTENEGRO", "MONTENEGRO"),
    "MK": ("NORD-MAKEDONIA", "NORTH MACEDONIA"),
    "MT": ("MALTA", "MALTA"),
    "MX": ("MEXICO", "MEXICO"),
    "NL": ("NEDERLAND", "NETHERLANDS"),
    "NO": ("NORGE", "NORWAY"),
    "NZ": ("NEW ZEALAND", "NEW ZEALAND"),
    "PH": ("FILIPPINENE", "PHILIPPINES"),
    "PK": ("PAKISTAN", "PAKISTAN"),
    "PL": ("POLEN", "POLAND"),
    "PT": ("PORTUGAL", "PORTUGAL"),
    "RO": ("ROMANIA", "ROMANIA"),
    "RS": ("SERBIA", "SERBIA"),
    "RU": ("RUSSLAND", "RUSSIA"),
    "SE": ("SVERIGE", "SWEDEN"),
    "SG": ("SINGAPORE", "SINGAPORE"),
    "SI": ("SLOVENIA", "SLOVENIA"),
    "SK": ("SLOVAKIA", "SLOVAKIA"),
    "SO": ("SOMALIA", "SOMALIA"),
    "SY": ("SYRIA", "SYRIA"),
    "TH": ("THAILAND", "THAILAND"),
    "TR": ("TYRKIA", "TÜRKIYE"),
    "UA": ("UKRAINA", "UKRAINE"),
    "US": ("USA", "UNITED STATES"),
    "VN": ("VIETNAM", "VIET NAM"),
    "ZA": ("SØR-AFRIKA", "SOUTH AFRICA"),
}

_LANGUAGE = {"nb": 0, "en": 1}


def is_abroad(code: str | None) -> bool:
    """Whether an address with this ISO code is outside Norway (an empty code is taken as Norway)."""
    return bool(code and code.strip()) and (code or "").strip().upper() != "NO"


def country_name(code: str, language: str) -> str:
    """The country's name in capitals for the address's last line, in ``language`` (nb or en).

    >>> country_name("SE", "nb"), country_name("se", "en"), country_name("XK", "nb")
    ('SVERIGE', 'SWEDEN', 'XK')
    """
    key = code.strip().upper()
    names = COUNTRIES.get(key)
    if names is None:
        return key
    return names[_LANGUAGE.get(language, 0)]
