"""The names a consultant may give the sheets and columns, in English, Dutch and Latvian.

One table, as data: the loader accepts every name listed for a column or sheet, and the intake
template (``servicekg template``) writes the first name of the chosen language. Names are
compared as :func:`~servicekg.observations.table.column_name` normalises them (trimmed, lower
case, spaces and hyphens as ``_``).

>>> canonical_column("Waargenomen op"), canonical_column("Rādītājs"), canonical_column("x")
('observed_at', 'metric', 'x')
"""

from __future__ import annotations

__all__ = [
    "COLUMN_ALIASES",
    "GUIDANCE_COLUMNS",
    "LANGUAGES",
    "SHEET_ALIASES",
    "canonical_column",
    "canonical_sheet",
    "column_header",
    "sheet_title",
]

LANGUAGES = ("en", "nl", "lv")

COLUMN_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    # observations and business descriptions
    "business": {
        "en": ("business", "branch"),
        "nl": ("bedrijf", "vestiging", "zaak", "filiaal"),
        "lv": ("uzņēmums", "filiāle"),
    },
    "metric": {
        "en": ("metric",),
        "nl": ("meting", "meetgrootheid", "indicator"),
        "lv": ("rādītājs", "mērījums"),
    },
    "value": {"en": ("value",), "nl": ("waarde",), "lv": ("vērtība",)},
    "unit": {"en": ("unit",), "nl": ("eenheid",), "lv": ("mērvienība", "vienība")},
    "observed_at": {
        "en": ("observed_at", "date"),
        "nl": ("datum", "waargenomen_op", "gemeten_op"),
        "lv": ("datums", "novērots", "novērošanas_datums"),
    },
    "location": {"en": ("location",), "nl": ("locatie", "plaats"), "lv": ("vieta",)},
    "source": {"en": ("source",), "nl": ("bron",), "lv": ("avots",)},
    "note": {
        "en": ("note", "notes", "comment"),
        "nl": ("notitie", "opmerking", "toelichting"),
        "lv": ("piezīme", "piezīmes", "komentārs"),
    },
    "name": {"en": ("name",), "nl": ("naam",), "lv": ("nosaukums",)},
    "sector": {"en": ("sector",), "nl": ("sector", "branche"), "lv": ("nozare",)},
    "region": {"en": ("region",), "nl": ("regio",), "lv": ("reģions",)},
    # guidance columns the template writes beside the observations; the loader ignores them
    "label": {"en": ("metric_name",), "nl": ("omschrijving",), "lv": ("apraksts",)},
    "valid_range": {
        "en": ("valid_range",),
        "nl": ("geldig_bereik",),
        "lv": ("pieļaujamās_vērtības",),
    },
    "measures": {
        "en": ("need_or_factor", "measures"),
        "nl": ("behoefte_of_factor", "meet"),
        "lv": ("vajadzība_vai_faktors", "mēra"),
    },
    "how_to_observe": {
        "en": ("how_to_observe",),
        "nl": ("hoe_te_meten",),
        "lv": ("kā_novērot",),
    },
}
"""Each column the loader knows, with the names it may be written as in each language; the
first name of a language is the one the template writes."""

GUIDANCE_COLUMNS = ("label", "valid_range", "measures", "how_to_observe")
"""Columns of the template that explain a row; the loader accepts and ignores them."""

SHEET_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "observations": {
        "en": ("observations",),
        "nl": ("waarnemingen", "metingen"),
        "lv": ("novērojumi", "mērījumi"),
    },
    "businesses": {
        "en": ("businesses", "branches"),
        "nl": ("bedrijven", "vestigingen"),
        "lv": ("uzņēmumi", "filiāles"),
    },
    "instructions": {"en": ("instructions",), "nl": ("instructies",), "lv": ("norādījumi",)},
    "metrics": {"en": ("metrics",), "nl": ("meetgrootheden",), "lv": ("rādītāji",)},
    "sectors": {"en": ("sectors",), "nl": ("sectoren",), "lv": ("nozares",)},
}
"""Each sheet the loader or the template knows, with its names in each language."""


def _index(table: dict[str, dict[str, tuple[str, ...]]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for canonical, by_language in table.items():
        found[canonical] = canonical
        for names in by_language.values():
            for name in names:
                found.setdefault(name, canonical)
    return found


_COLUMNS = _index(COLUMN_ALIASES)
_SHEETS = _index(SHEET_ALIASES)


def canonical_column(header: str) -> str:
    """The column a header stands for (``header`` itself when it is no known name).

    ``header`` may be raw: it is normalised as column names are."""
    name = "_".join(header.strip().lower().replace("-", " ").split())
    return _COLUMNS.get(name, name)


def canonical_sheet(title: str) -> str | None:
    """The sheet a title stands for (``observations``, ``businesses``, ...), or ``None``."""
    return _SHEETS.get("_".join(title.strip().lower().split()))


def column_header(column: str, language: str) -> str:
    """What the template calls ``column`` in ``language``, as a person writes a header.

    >>> column_header("how_to_observe", "nl")
    'Hoe te meten'
    """
    name = COLUMN_ALIASES[column][language][0].replace("_", " ")
    return name[:1].upper() + name[1:]


def sheet_title(sheet: str, language: str) -> str:
    """What the template calls ``sheet`` in ``language`` (capitalised, as people name sheets)."""
    name = SHEET_ALIASES[sheet][language][0]
    return name[:1].upper() + name[1:]
