"""The words of the intake template, in English, Dutch and Latvian (data, not code).

Sheet and column names come from :mod:`servicekg.observations.aliases`, so that what the
template writes is what the loader reads back; labels of metrics, units, concepts and sectors
come from the ontology.
"""

from __future__ import annotations

__all__ = ["BOOLEAN_CHOICES", "DATE_FORMATS", "RANGE_WORDS", "TEXTS"]

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "servicekg audit workbook: {sector}",
        "step1": "1. On the sheet '{businesses}', give each business (each branch) a short id, "
        "its name and its sector (pick it from the list; the sectors are on the sheet "
        "'{sectors}').",
        "step2": "2. On the sheet '{observations}', fill in what you measured: the business id, "
        "the value and, where it differs from the one given, the unit. Copy a row for every "
        "further business or date. Rows left without business and value are ignored.",
        "step3": "3. The shaded rows at the top matter most for {sector}: what its customers need "
        "in particular, and what the rules for this sector read. The last column says how to "
        "measure each one.",
        "step3_none": "3. Neither the graph nor the rules name needs particular to {sector}: every "
        "row applies as much. The last column says how to measure each one.",
        "step4": "4. Percentages: type 78% (a percentage cell), or 78 with unit %. A share of "
        "0.78 with unit ratio is the same.",
        "step5": "5. Dates: {date_form} (for example {date_example}), or a date cell.",
        "step6": "6. Source and note: say how you measured (mystery shop, survey n=120) and what "
        "you saw; both appear with the evidence in the report.",
        "step7": "7. Then assess the workbook:",
        "basis": "About this sector: {note}",
        "sector_code": "code",
        "sector_label": "sector",
        "sector_chosen": "chosen",
        "yes": "yes",
        "other_sector": "other (none of these)",
        "prompt_business": "The id of a business from the sheet '{businesses}'.",
        "prompt_value": "Valid values: {range}",
        "prompt_unit": "Units this value may be written in.",
        "error_value": "This value is outside the valid range: {range}",
    },
    "nl": {
        "title": "servicekg-auditwerkmap: {sector}",
        "step1": "1. Geef op het blad '{businesses}' elk bedrijf (elke vestiging) een korte code, "
        "de naam en de sector (kies die uit de lijst; de sectoren staan op het blad "
        "'{sectors}').",
        "step2": "2. Vul op het blad '{observations}' in wat u hebt gemeten: de code van het "
        "bedrijf, de waarde en, als die afwijkt van de gegeven eenheid, de eenheid. Kopieer een "
        "rij voor elk volgend bedrijf of elke volgende datum. Rijen zonder bedrijf en waarde "
        "worden overgeslagen.",
        "step3": "3. De gekleurde rijen bovenaan wegen het zwaarst voor {sector}: wat de klanten "
        "daar in het bijzonder nodig hebben en wat de regels voor deze sector lezen. De laatste "
        "kolom zegt hoe u elke meting doet.",
        "step3_none": "3. Noch de kennisgraaf noch de regels noemen behoeften die eigen zijn aan "
        "{sector}: elke rij telt even zwaar. De laatste kolom zegt hoe u elke meting doet.",
        "step4": "4. Percentages: typ 78% (een percentagecel), of 78 met eenheid %. Een aandeel "
        "van 0,78 met eenheid ratio is hetzelfde.",
        "step5": "5. Datums: {date_form} (bijvoorbeeld {date_example}), of een datumcel.",
        "step6": "6. Bron en notitie: vermeld hoe u hebt gemeten (mystery shop, enquête n=120) en "
        "wat u zag; beide staan bij het bewijs in het rapport.",
        "step7": "7. Beoordeel daarna de werkmap:",
        "basis": "Over deze sector: {note}",
        "sector_code": "code",
        "sector_label": "sector",
        "sector_chosen": "gekozen",
        "yes": "ja",
        "other_sector": "overig (geen van deze)",
        "prompt_business": "De code van een bedrijf van het blad '{businesses}'.",
        "prompt_value": "Geldige waarden: {range}",
        "prompt_unit": "Eenheden waarin deze waarde mag staan.",
        "error_value": "Deze waarde valt buiten het geldige bereik: {range}",
    },
    "lv": {
        "title": "servicekg audita darbgrāmata: {sector}",
        "step1": "1. Lapā '{businesses}' katram uzņēmumam (katrai filiālei) norādiet īsu kodu, "
        "nosaukumu un nozari (izvēlieties to no saraksta; nozares ir lapā '{sectors}').",
        "step2": "2. Lapā '{observations}' ierakstiet, ko izmērījāt: uzņēmuma kodu, vērtību un, "
        "ja tā atšķiras no norādītās, mērvienību. Katram nākamajam uzņēmumam vai datumam "
        "nokopējiet rindu. Rindas bez uzņēmuma un vērtības netiek ņemtas vērā.",
        "step3": "3. Iekrāsotās rindas augšā nozarei {sector} ir vissvarīgākās: tas, kas tās "
        "klientiem īpaši vajadzīgs, un tas, ko lasa šīs nozares noteikumi. Pēdējā kolonnā "
        "rakstīts, kā katru rādītāju izmērīt.",
        "step3_none": "3. Ne zināšanu grafs, ne noteikumi nemin vajadzības, kas raksturīgas "
        "nozarei {sector}: visas rindas ir vienlīdz svarīgas. Pēdējā kolonnā rakstīts, kā katru "
        "rādītāju izmērīt.",
        "step4": "4. Procenti: ierakstiet 78% (procentu šūna) vai 78 ar mērvienību %. Daļa 0,78 ar "
        "mērvienību ratio ir tas pats.",
        "step5": "5. Datumi: {date_form} (piemēram, {date_example}) vai datuma šūna.",
        "step6": "6. Avots un piezīme: norādiet, kā mērījāt (slepenais pircējs, aptauja n=120) un "
        "ko redzējāt; abi parādās ziņojumā pie pierādījumiem.",
        "step7": "7. Pēc tam novērtējiet darbgrāmatu:",
        "basis": "Par šo nozari: {note}",
        "sector_code": "kods",
        "sector_label": "nozare",
        "sector_chosen": "izvēlēta",
        "yes": "jā",
        "other_sector": "cita (neviena no šīm)",
        "prompt_business": "Uzņēmuma kods no lapas '{businesses}'.",
        "prompt_value": "Pieļaujamās vērtības: {range}",
        "prompt_unit": "Mērvienības, kurās drīkst rakstīt šo vērtību.",
        "error_value": "Šī vērtība ir ārpus pieļaujamā diapazona: {range}",
    },
}
"""Every sentence of the template, by language."""

RANGE_WORDS: dict[str, dict[str, str]] = {
    "en": {"between": "{low} to {high}", "at_least": "at least {low}", "any": "any number"},
    "nl": {"between": "{low} tot {high}", "at_least": "minstens {low}", "any": "elk getal"},
    "lv": {
        "between": "no {low} līdz {high}",
        "at_least": "vismaz {low}",
        "any": "jebkurš skaitlis",
    },
}
"""How a valid range is said, by language."""

BOOLEAN_CHOICES: dict[str, tuple[str, str]] = {
    "en": ("yes", "no"),
    "nl": ("ja", "nee"),
    "lv": ("jā", "nē"),
}
"""The yes/no words the template offers (the loader accepts them all)."""

DATE_FORMATS: dict[str, tuple[str, str, str]] = {
    "en": ("YYYY-MM-DD", "2026-11-14", "yyyy-mm-dd"),
    "nl": ("DD-MM-JJJJ", "14-11-2026", "dd-mm-yyyy"),
    "lv": ("DD.MM.GGGG", "14.11.2026", "dd.mm.yyyy"),
}
"""How dates are written, by language: as said to people, an example, and the Excel format."""
