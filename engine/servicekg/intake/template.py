"""The intake workbook a consultant fills in: ``servicekg template --sector bakery --lang nl``.

The workbook has an instructions sheet, a businesses sheet (the sector as a drop-down), an
observations sheet listing every metric a rule reads, those that matter for the chosen sector
first, with its unit, valid range (as Excel data validation), what it measures and how to
measure it, and a sheet of the sector codes with their names. Everything a person reads is in
the chosen language; the loader reads the filled-in workbook back as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from servicekg.errors import InputError
from servicekg.graph.catalogue import MetricCatalogue, MetricSpec
from servicekg.graph.concepts import check_language
from servicekg.intake.texts import BOOLEAN_CHOICES, DATE_FORMATS, RANGE_WORDS, TEXTS
from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations.aliases import column_header, sheet_title
from servicekg.observations.row_validator import OTHER_SECTOR
from servicekg.rules import RuleBook, load_rules
from servicekg.rules.conditions import implied_sectors, iter_comparisons, metrics_of

__all__ = ["OBSERVATION_SHEET_COLUMNS", "TemplateRow", "template_rows", "write_template"]

OBSERVATION_SHEET_COLUMNS = (
    "business",
    "metric",
    "value",
    "unit",
    "observed_at",
    "source",
    "note",
    "label",
    "valid_range",
    "measures",
    "how_to_observe",
)
"""The observations sheet's columns, in order: what the consultant fills in, then guidance."""

_BUSINESS_COLUMNS = ("business", "name", "sector", "region")
_WIDTHS = {
    "business": 16,
    "metric": 30,
    "value": 10,
    "unit": 9,
    "observed_at": 13,
    "source": 18,
    "note": 30,
    "label": 32,
    "valid_range": 16,
    "measures": 28,
    "how_to_observe": 70,
    "name": 30,
    "sector": 22,
    "region": 18,
}
_MAX_ROWS = 1000
"""How far down the drop-downs and validations reach."""
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_SECTOR_FILL = PatternFill("solid", fgColor="FFF2CC")
_GUIDANCE_FONT = Font(color="595959")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class TemplateRow:
    """One metric of the observations sheet, in the template's language."""

    metric: str
    label: str
    unit: str
    units: tuple[str, ...]
    valid_range: str
    measures: str
    how_to_observe: str
    for_sector: bool
    spec: MetricSpec


def write_template(
    out: Path,
    sector: str,
    lang: str = "en",
    kb: KnowledgeBase | None = None,
    book: RuleBook | None = None,
) -> Path:
    """Write the intake workbook for ``sector`` in ``lang`` to ``out`` and return ``out``.

    Raises :class:`~servicekg.errors.InputError` for an unknown sector (naming the known ones)
    or a file that cannot be written.
    """
    check_language(lang)
    kb = kb or KnowledgeBase.with_ontology()
    sectors = _sector_labels(kb, lang)
    if sector not in sectors:
        known = ", ".join(sorted(sectors))
        raise InputError(f"--sector {sector!r}: no such sector; known: {known}")
    catalogue = MetricCatalogue.from_kb(kb)
    book = book or load_rules(kb=kb, catalogue=catalogue)
    rows = template_rows(kb, catalogue, book, sector, lang)
    workbook = Workbook()
    titles = {
        name: sheet_title(name, lang)
        for name in ("instructions", "businesses", "observations", "sectors")
    }
    shaded = any(row.for_sector for row in rows)
    _instructions(workbook.active, kb, titles, sectors[sector], sector, lang, out.name, shaded)
    _businesses(workbook.create_sheet(titles["businesses"]), titles, len(sectors), lang)
    _observations(workbook.create_sheet(titles["observations"]), rows, titles, lang)
    _sectors(workbook.create_sheet(titles["sectors"]), sectors, sector, lang)
    workbook.active = 1
    try:
        workbook.save(out)
    except OSError as error:
        raise InputError(f"{out}: cannot write the workbook: {error.strerror or error}") from None
    return out


def template_rows(
    kb: KnowledgeBase, catalogue: MetricCatalogue, book: RuleBook, sector: str, lang: str
) -> list[TemplateRow]:
    """The metrics the observations sheet lists: those that matter for ``sector`` first (they
    measure a need of the sector, a rule of that sector reads them, a rule has a threshold of
    its own for the sector, or an exception that holds in it reads them), then those any rule
    reads in every sector; metrics only other sectors' rules read are left out."""
    needs = {
        row["c"]
        for row in kb.select(
            "SELECT ?c WHERE { ?s skg:sectorCode ?code . "
            "{ ?s skg:needsInSector ?c } UNION { ?c skg:appliesToSector ?s } }",
            code=ox.Literal(sector),
        )
    }  # what its customers need in particular, and exceptions that hold in it
    for_sector: set[str] = set()
    general: set[str] = set()
    for rule in book.rules:
        if rule.sectors is None:
            general.update(rule.metrics)
        elif sector in rule.sectors:
            for_sector.update(rule.metrics)
        for condition in (rule.when, rule.unless):
            if condition is None:
                continue
            # a threshold of its own for the sector, or an exception that holds in it
            for comparison in iter_comparisons(condition):
                threshold = comparison.threshold
                if threshold is not None and sector in dict(threshold.by_sector):
                    for_sector.add(comparison.metric)
            if condition is rule.unless and sector in (implied_sectors(condition) or ()):
                for_sector.update(metrics_of(condition))
                general.update(metrics_of(condition))
    for spec in catalogue:
        if needs & set(spec.concepts):
            for_sector.add(spec.id)
    chosen = for_sector | general
    labels = _labels(kb, lang)
    how = _how_to_observe(kb, lang)
    rows = [
        TemplateRow(
            metric=spec.id,
            label=spec.labels.get(lang, spec.id),
            unit=_unit(spec, catalogue),
            units=tuple(catalogue.units_for(spec)),
            valid_range=_range(spec, catalogue, lang),
            measures=", ".join(labels.get(c, c.rsplit("#", 1)[-1]) for c in spec.concepts),
            how_to_observe=how.get(spec.id, ""),
            for_sector=spec.id in for_sector,
            spec=spec,
        )
        for spec in catalogue
        if spec.id in chosen
    ]
    rows.sort(key=lambda row: (not row.for_sector, row.label.casefold()))
    return rows


# --- sheets -----------------------------------------------------------------------------------


def _instructions(
    sheet: Worksheet,
    kb: KnowledgeBase,
    titles: dict[str, str],
    sector_label: str,
    sector: str,
    lang: str,
    out_name: str,
    shaded: bool,
) -> None:
    texts = TEXTS[lang]
    sheet.title = titles["instructions"]
    form, example, _excel = DATE_FORMATS[lang]
    words = {
        "sector": sector_label,
        "businesses": titles["businesses"],
        "observations": titles["observations"],
        "sectors": titles["sectors"],
        "date_form": form,
        "date_example": example,
    }
    lines = [texts["title"].format(**words), ""]
    steps = ["step1", "step2", "step3" if shaded else "step3_none", "step4", "step5", "step6"]
    lines += [texts[step].format(**words) for step in [*steps, "step7"]]
    lines.append(f"    servicekg assess {out_name} --lang {lang}")
    note = _basis_note(kb, sector, lang)
    if note:
        lines += ["", texts["basis"].format(note=note)]
    for n, line in enumerate(lines, start=1):
        cell = sheet.cell(row=n, column=1, value=line)
        cell.alignment = _WRAP
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.cell(row=10, column=1).font = Font(name="Courier New")
    sheet.column_dimensions["A"].width = 110


def _businesses(sheet: Worksheet, titles: dict[str, str], sectors: int, lang: str) -> None:
    _header(sheet, _BUSINESS_COLUMNS, lang)
    sector_column = get_column_letter(_BUSINESS_COLUMNS.index("sector") + 1)
    source = quote_sheetname(titles["sectors"])
    drop_down = DataValidation(
        type="list",
        formula1=f"={source}!$A$2:$A${sectors + 1}",
        allow_blank=True,
        showErrorMessage=True,
    )
    sheet.add_data_validation(drop_down)
    drop_down.add(f"{sector_column}2:{sector_column}{_MAX_ROWS}")


def _observations(
    sheet: Worksheet, rows: list[TemplateRow], titles: dict[str, str], lang: str
) -> None:
    texts = TEXTS[lang]
    columns = OBSERVATION_SHEET_COLUMNS
    _header(sheet, columns, lang)
    at = {name: get_column_letter(i) for i, name in enumerate(columns, start=1)}
    businesses = DataValidation(
        type="list",
        formula1=f"={quote_sheetname(titles['businesses'])}!$A$2:$A${_MAX_ROWS}",
        allow_blank=True,
        errorStyle="warning",
        showInputMessage=True,
        prompt=texts["prompt_business"].format(businesses=titles["businesses"]),
    )
    sheet.add_data_validation(businesses)
    businesses.add(f"{at['business']}2:{at['business']}{_MAX_ROWS}")
    dates = DATE_FORMATS[lang][2]
    validations: dict[tuple[object, ...], DataValidation] = {}
    for n, row in enumerate(rows, start=2):
        values = {
            "metric": row.metric,
            "unit": row.unit,
            "label": row.label,
            "valid_range": row.valid_range,
            "measures": row.measures,
            "how_to_observe": row.how_to_observe,
        }
        for name, value in values.items():
            sheet[f"{at[name]}{n}"] = value
        for name in columns:
            cell = sheet[f"{at[name]}{n}"]
            cell.alignment = _WRAP
            if name in ("label", "valid_range", "measures", "how_to_observe"):
                cell.font = _GUIDANCE_FONT
            if row.for_sector:
                cell.fill = _SECTOR_FILL
        sheet[f"{at['observed_at']}{n}"].number_format = dates
        _validate(sheet, validations, _value_rule(row, lang), f"{at['value']}{n}")
        units = ",".join(row.units)
        _validate(
            sheet,
            validations,
            ("list", f'"{units}"', None, texts["prompt_unit"]),
            f"{at['unit']}{n}",
        )
    for n in range(len(rows) + 2, _MAX_ROWS + 1):
        sheet[f"{at['observed_at']}{n}"].number_format = dates


def _sectors(sheet: Worksheet, sectors: dict[str, str], chosen: str, lang: str) -> None:
    texts = TEXTS[lang]
    headers = (texts["sector_code"], texts["sector_label"], texts["sector_chosen"])
    for i, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=i, value=header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for n, code in enumerate(sorted(sectors, key=lambda c: (c == OTHER_SECTOR, c)), start=2):
        sheet.cell(row=n, column=1, value=code)
        sheet.cell(row=n, column=2, value=sectors[code])
        if code == chosen:
            sheet.cell(row=n, column=3, value=texts["yes"])
            for i in (1, 2, 3):
                sheet.cell(row=n, column=i).fill = _SECTOR_FILL
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 12


def _header(sheet: Worksheet, columns: tuple[str, ...], lang: str) -> None:
    for i, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=i, value=column_header(name, lang))
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        sheet.column_dimensions[get_column_letter(i)].width = _WIDTHS[name]
    sheet.freeze_panes = "A2"


def _validate(
    sheet: Worksheet,
    made: dict[tuple[object, ...], DataValidation],
    rule: tuple[object, ...] | None,
    cell: str,
) -> None:
    """Add ``cell`` to the validation of ``rule`` (one per distinct rule, as Excel keeps them)."""
    if rule is None:
        return
    validation = made.get(rule)
    if validation is None:
        kind, first, second, prompt = rule
        validation = DataValidation(
            type=str(kind),
            operator=None
            if kind == "list"
            else ("between" if second is not None else "greaterThanOrEqual"),
            formula1=str(first),
            formula2=None if second is None else str(second),
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            prompt=str(prompt),
        )
        if kind != "list":
            validation.error = str(prompt)
        made[rule] = validation
        sheet.add_data_validation(validation)
    validation.add(cell)


def _value_rule(row: TemplateRow, lang: str) -> tuple[object, ...] | None:
    """The Excel validation of a value cell: (type, formula1, formula2, message)."""
    spec = row.spec
    texts = TEXTS[lang]
    if spec.is_boolean:
        choices = ",".join(BOOLEAN_CHOICES[lang])
        return ("list", f'"{choices}"', None, texts["prompt_value"].format(range=choices))
    if spec.minimum is None:
        return None
    low, high = spec.minimum, spec.maximum
    if row.unit == "%" and spec.unit == "ratio":
        high = 100.0  # 78 with unit %, or a percentage cell storing 0.78: both within 0..100
    kind = "decimal" if spec.datatype == "decimal" else "whole"
    message = texts["prompt_value"].format(range=row.valid_range)
    return (kind, _num(low), None if high is None else _num(high), message)


# --- what the graph says, in one language -------------------------------------------------------


def _unit(spec: MetricSpec, catalogue: MetricCatalogue) -> str:
    """The unit the template proposes: % for a ratio (people think in percentages)."""
    if spec.unit == "ratio" and "%" in catalogue.units_for(spec):
        return "%"
    return "" if spec.is_boolean else spec.unit


def _range(spec: MetricSpec, catalogue: MetricCatalogue, lang: str) -> str:
    words = RANGE_WORDS[lang]
    if spec.is_boolean:
        return " / ".join(BOOLEAN_CHOICES[lang])
    unit = _unit(spec, catalogue)
    low, high = spec.minimum, spec.maximum
    if unit == "%" and high is not None:
        high *= 100
    if low is not None and high is not None:
        said = words["between"].format(low=_num(low), high=_num(high))
    elif low is not None:
        said = words["at_least"].format(low=_num(low))
    else:
        said = words["any"]
    return f"{said} {_unit_words(unit, catalogue, lang)}".strip()


_SYMBOLS_AS_WRITTEN = frozenset({"%", "s", "min", "h", "d", "EUR"})
"""Units said by their symbol in every language; others by their name in the language."""


def _unit_words(symbol: str, catalogue: MetricCatalogue, lang: str) -> str:
    if not symbol or symbol == "score":  # the range of a score already says its scale
        return ""
    if symbol in _SYMBOLS_AS_WRITTEN:
        return symbol
    return catalogue.unit(symbol).labels.get(lang, symbol)


def _num(value: float) -> str:
    return f"{value:g}"


def _sector_labels(kb: KnowledgeBase, lang: str) -> dict[str, str]:
    labels = {
        row["code"]: row["label"]
        for row in kb.select(
            "SELECT ?code ?label WHERE { ?s skg:sectorCode ?code ; skos:prefLabel ?label "
            "FILTER (LANG(?label) = ?lang) }",
            lang=ox.Literal(lang),
        )
    }
    labels.setdefault(OTHER_SECTOR, TEXTS[lang]["other_sector"])
    return labels


def _labels(kb: KnowledgeBase, lang: str) -> dict[str, str]:
    return {
        row["c"]: row["label"]
        for row in kb.select(
            "SELECT ?c ?label WHERE { ?c skos:prefLabel ?label FILTER (LANG(?label) = ?lang) }",
            lang=ox.Literal(lang),
        )
    }


def _how_to_observe(kb: KnowledgeBase, lang: str) -> dict[str, str]:
    return {
        row["id"]: row["text"]
        for row in kb.select(
            "SELECT ?id ?text WHERE { ?m skg:metricId ?id ; skg:howToObserve ?text "
            "FILTER (LANG(?text) = ?lang) }",
            lang=ox.Literal(lang),
        )
    }


def _basis_note(kb: KnowledgeBase, sector: str, lang: str) -> str | None:
    rows = kb.select(
        "SELECT ?note WHERE { ?s skg:sectorCode ?code ; skg:basisNote ?note "
        "FILTER (LANG(?note) = ?lang) }",
        code=ox.Literal(sector),
        lang=ox.Literal(lang),
    )
    return rows[0]["note"] if rows else None
