"""What an assessment tells the reader about how a business was assessed, in their language.

>>> no_sector("Jansen", described=False, lang="en")  # doctest: +ELLIPSIS
"'Jansen' has no description (no sector): ..."
"""

from __future__ import annotations

__all__ = ["NOTICES", "no_sector"]

NOTICES: dict[str, dict[str, str]] = {
    "undescribed": {
        "en": "{business!r} has no description (no sector): it was assessed without the "
        "needs of its sector; add it to the businesses sheet with its sector",
        "nl": "{business!r} heeft geen beschrijving (geen sector): het is beoordeeld zonder de "
        "behoeften van zijn sector; voeg het toe aan het blad Bedrijven, met zijn sector",
        "lv": "{business!r} nav apraksta (nav nozares): tas novērtēts bez savas nozares "
        "vajadzībām; pievienojiet to lapā Uzņēmumi kopā ar nozari",
    },
    "no_sector": {
        "en": "{business!r} has no sector: it was assessed without the needs of its sector; "
        "give its sector in the businesses sheet",
        "nl": "{business!r} heeft geen sector: het is beoordeeld zonder de behoeften van zijn "
        "sector; vul de sector in op het blad Bedrijven",
        "lv": "{business!r} nav norādīta nozare: tas novērtēts bez savas nozares vajadzībām; "
        "norādiet nozari lapā Uzņēmumi",
    },
}
"""Each notice in en, nl and lv (``{business!r}`` is the business id)."""


def no_sector(business: str, described: bool, lang: str) -> str:
    """The warning for a business assessed without a sector, naming it."""
    texts = NOTICES["no_sector" if described else "undescribed"]
    return texts.get(lang, texts["en"]).format(business=business)
