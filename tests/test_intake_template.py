"""The intake workbook: written in the consultant's language, filled in, read back and assessed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest
from click.testing import Result

from servicekg.assessment.pipeline import run_assessment
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.intake import write_template
from servicekg.intake.template import OBSERVATION_SHEET_COLUMNS, template_rows
from servicekg.intake.texts import TEXTS
from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations.aliases import (
    COLUMN_ALIASES,
    SHEET_ALIASES,
    column_header,
    sheet_title,
)
from servicekg.reports.markdown import markdown_report
from servicekg.rules import RuleBook, load_rules

LANGS = ("en", "nl", "lv")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return {
        lang: write_template(folder / f"audit-{lang}.xlsx", "bakery", lang, kb=kb) for lang in LANGS
    }


def _sheet(path: Path, name: str, lang: str) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(path)[sheet_title(name, lang)]


@pytest.mark.parametrize("lang", LANGS)
def test_sheets_and_headers_are_in_the_chosen_language(books: dict[str, Path], lang: str) -> None:
    book = openpyxl.load_workbook(books[lang])
    assert book.sheetnames == [
        sheet_title(name, lang)
        for name in ("instructions", "businesses", "observations", "sectors")
    ]
    observations = book[sheet_title("observations", lang)]
    headers = [cell.value for cell in observations[1]]
    assert headers == [column_header(name, lang) for name in OBSERVATION_SHEET_COLUMNS]
    assert observations.freeze_panes == "A2"
    assert book[sheet_title("businesses", lang)].freeze_panes == "A2"
    assert all(observations.column_dimensions[c].width >= 9 for c in "ABCDEFGHIJK")


def test_dutch_and_latvian_names_are_the_ones_consultants_expect(books: dict[str, Path]) -> None:
    assert openpyxl.load_workbook(books["nl"]).sheetnames[1:3] == ["Bedrijven", "Waarnemingen"]
    assert openpyxl.load_workbook(books["lv"]).sheetnames[1:3] == ["Uzņēmumi", "Novērojumi"]
    nl = [c.value for c in _sheet(books["nl"], "observations", "nl")[1]][:7]
    assert nl == ["Bedrijf", "Meting", "Waarde", "Eenheid", "Datum", "Bron", "Notitie"]
    lv = [c.value for c in _sheet(books["lv"], "observations", "lv")[1]][:7]
    assert lv == ["Uzņēmums", "Rādītājs", "Vērtība", "Mērvienība", "Datums", "Avots", "Piezīme"]


def test_the_sector_is_a_drop_down_of_every_sector_code(
    books: dict[str, Path], kb: KnowledgeBase
) -> None:
    book = openpyxl.load_workbook(books["nl"])
    businesses = book["Bedrijven"]
    (drop_down,) = businesses.data_validations.dataValidation
    assert drop_down.type == "list"
    assert "C2" in drop_down.sqref
    sheet, cells = drop_down.formula1.lstrip("=").split("!")
    codes = [row[0].value for row in book[sheet.strip("'")][cells.replace("$", "")]]
    expected = {r["code"] for r in kb.select("SELECT ?code WHERE { ?s skg:sectorCode ?code }")}
    assert set(codes) == expected | {"other"}
    assert {"bakery", "bank", "hotel", "healthcare-practice", "public-office"} <= set(codes)
    assert {"e-commerce", "telecom"} <= set(codes)


def test_the_sectors_metrics_come_first_with_unit_range_and_how_to_measure(
    books: dict[str, Path], kb: KnowledgeBase
) -> None:
    sheet = _sheet(books["en"], "observations", "en")
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]]
    metrics = [row[1] for row in rows]
    shaded = [
        sheet.cell(row=n, column=2).fill.fgColor.rgb.endswith("FFF2CC")
        for n in range(2, len(rows) + 2)
    ]
    first = metrics[: shaded.count(True)]
    assert shaded == sorted(shaded, reverse=True)  # the sector's rows, then the others
    # the bakery's needs (own judgement): product quality, consistency, greeting, service time
    assert {"greeting_rate", "service_time_seconds", "consistency_rate", "defect_rate"} <= set(
        first
    )
    assert "fun_score" not in metrics  # read only by the theme-park rules
    catalogue = MetricCatalogue.from_kb(kb)
    for metric, _v, unit, valid, how in ((r[1], r[2], r[3], r[8], r[10]) for r in rows):
        spec = catalogue[metric]
        assert unit == ("%" if spec.unit == "ratio" else "" if spec.is_boolean else spec.unit) or (
            unit is None and spec.is_boolean
        )
        assert valid, metric
        assert how, metric
    greeting = next(r for r in rows if r[1] == "greeting_rate")
    assert greeting[8] == "0 to 100 %"


def test_values_carry_their_valid_range_as_excel_data_validation(books: dict[str, Path]) -> None:
    sheet = _sheet(books["nl"], "observations", "nl")
    row = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[1].value == "greeting_rate")
    value_cell = f"C{row}"
    found = [v for v in sheet.data_validations.dataValidation if value_cell in v.sqref]
    (validation,) = found
    assert (validation.type, validation.formula1, validation.formula2) == ("decimal", "0", "100")
    assert "Geldige waarden" in validation.prompt
    unit_cell = f"D{row}"
    (units,) = [v for v in sheet.data_validations.dataValidation if unit_cell in v.sqref]
    assert units.type == "list"
    assert "%" in units.formula1


def _english_words(kb: KnowledgeBase, lang: str) -> set[str]:
    """Words of our English texts and labels that the texts of ``lang`` never use."""

    def words(texts: list[str]) -> set[str]:
        plain = (re.sub(r"\{[^}]*\}", " ", t) for t in texts)  # not the {placeholders}
        return {w.casefold() for t in plain for w in re.findall(r"[^\W\d_]{4,}", t)}

    def ours(language: str) -> list[str]:
        labels = kb.select(
            "SELECT ?l WHERE { ?s ?p ?l FILTER (LANG(?l) = ?lang) }", lang=ox.Literal(language)
        )
        names = [
            name.replace("_", " ")
            for table in (COLUMN_ALIASES, SHEET_ALIASES)
            for by_language in table.values()
            for name in by_language[language]
        ]
        return [*TEXTS[language].values(), *(r["l"] for r in labels), *names]

    return words(ours("en")) - words(ours(lang))


@pytest.mark.parametrize("lang", ["nl", "lv"])
def test_no_english_word_of_ours_in_a_dutch_or_latvian_template(
    books: dict[str, Path], kb: KnowledgeBase, lang: str
) -> None:
    english = _english_words(kb, lang)
    assert {"greeting", "observations", "businesses", "measure"} <= english
    book = openpyxl.load_workbook(books[lang])
    found = set()
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                # metric ids, unit symbols, sector codes and the command are what the loader
                # and the shell read, not prose
                if not isinstance(cell.value, str) or cell.value.strip().startswith("servicekg "):
                    continue
                observations = sheet.title == sheet_title("observations", lang)
                if observations and cell.column in (2, 4):
                    continue
                if sheet.title == sheet_title("sectors", lang) and cell.column == 1:
                    continue
                words = {w.casefold() for w in re.findall(r"[^\W\d_]{4,}", cell.value)}
                found |= {(sheet.title, cell.coordinate, w) for w in words & english}
    assert not found


def test_an_unknown_sector_is_refused_naming_the_known_ones(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = run_cli("template", "--sector", "bakkerij", "--out", str(tmp_path / "a.xlsx"))
    assert result.exit_code == 2
    assert "bakkerij" in result.output
    assert "bakery" in result.output
    assert not (tmp_path / "a.xlsx").exists()


def test_the_cli_writes_the_workbook(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "audit.xlsx"
    result = run_cli("template", "--sector", "bank", "--lang", "lv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames[2] == "Novērojumi"


@pytest.mark.parametrize("lang", LANGS)
def test_a_filled_in_template_is_assessed_with_the_numbers_as_entered(
    books: dict[str, Path], tmp_path: Path, lang: str
) -> None:
    book = openpyxl.load_workbook(books[lang])
    businesses = book[sheet_title("businesses", lang)]
    businesses.append(("jansen-centrum", "Bakkerij Jansen Centrum", "bakery", "Utrecht"))
    businesses.append(("jansen-noord", "Bakkerij Jansen Noord", None, None))
    sheet = book[sheet_title("observations", lang)]
    row_of = {row[1].value: row[0].row for row in sheet.iter_rows(min_row=2)}

    def fill(n: int, business: str, value: object, date: object, source: str, note: str) -> None:
        sheet.cell(row=n, column=1, value=business)
        sheet.cell(row=n, column=3, value=value)
        sheet.cell(row=n, column=5, value=date)
        sheet.cell(row=n, column=6, value=source)
        sheet.cell(row=n, column=7, value=note)

    # 41 % typed into a percentage cell: Excel stores 0.41 with a 0% format, unit stays %
    fill(row_of["greeting_rate"], "jansen-centrum", 0.41, "14-11-2026", "mystery shop", "druk")
    sheet.cell(row=row_of["greeting_rate"], column=3).number_format = "0%"
    fill(row_of["service_time_seconds"], "jansen-centrum", "400", "14.11.2026", "stopwatch", "")
    # the second branch: 55 with unit %, on a copied row at the end
    last = sheet.max_row + 1
    for column in range(2, 5):
        sheet.cell(row=last, column=column, value=sheet.cell(row_of["greeting_rate"], column).value)
    fill(last, "jansen-noord", 55, None, "survey n=120", "")
    path = tmp_path / f"filled-{lang}.xlsx"
    book.save(path)

    report = run_assessment([path], lang=lang).report
    centrum = report.business("jansen-centrum")
    evidence = {e.metric: e for r in centrum.recommendations for e in r.evidence}
    assert evidence["greeting_rate"].value == pytest.approx(0.41)
    assert evidence["greeting_rate"].observed_at == "2026-11-14"
    assert (evidence["greeting_rate"].source, evidence["greeting_rate"].note) == (
        "mystery shop",
        "druk",
    )
    assert centrum.sector == "bakery"
    assert not centrum.warnings
    noord = report.business("jansen-noord")
    noord_evidence = {e.metric: e for r in noord.recommendations for e in r.evidence}
    assert noord_evidence["greeting_rate"].value == pytest.approx(0.55)
    (warning,) = noord.warnings
    assert "'jansen-noord'" in warning
    text = markdown_report(report)
    assert "mystery shop; druk" in text
    assert "survey n=120" in text


def test_a_business_with_no_description_is_assessed_with_a_warning_naming_it(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data.csv"
    data.write_text("business,metric,value\nwinkel-7,greeting_rate,0.3\n")
    report = run_assessment([data], lang="nl").report
    (warning,) = report.business("winkel-7").warnings
    assert warning.startswith("'winkel-7' heeft geen beschrijving")
    assert "'winkel-7' heeft geen beschrijving" in markdown_report(report)


@pytest.fixture(scope="module")
def rule_book(kb: KnowledgeBase) -> RuleBook:
    return load_rules(kb=kb)


@pytest.mark.parametrize("lang", LANGS)
def test_every_listed_metric_says_how_to_observe_it_in_every_sector(
    kb: KnowledgeBase, rule_book: RuleBook, lang: str
) -> None:
    catalogue = MetricCatalogue.from_kb(kb)
    codes = [r["code"] for r in kb.select("SELECT ?code WHERE { ?s skg:sectorCode ?code }")]
    for sector in [*codes, "other"]:
        rows = template_rows(kb, catalogue, rule_book, sector, lang)
        assert rows, sector
        missing = [row.metric for row in rows if not row.how_to_observe]
        assert not missing, (sector, missing)
    # the sectors added as our judgement all name their needs
    for sector in ("bakery", "bank", "hotel", "healthcare-practice", "public-office"):
        assert any(row.for_sector for row in template_rows(kb, catalogue, rule_book, sector, lang))


def test_a_sector_with_nothing_of_its_own_says_so_instead_of_pointing_to_shaded_rows(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    path = write_template(tmp_path / "a.xlsx", "other", "nl", kb=kb)
    text = [c.value for c in openpyxl.load_workbook(path)["Instructies"]["A"] if c.value]
    assert any(line.startswith("3. Noch de kennisgraaf") for line in text)
    assert not any("gekleurde rijen" in line for line in text)


def test_template_fill_assess_on_the_command_line_in_dutch(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "audit.xlsx"
    assert (
        run_cli("template", "--sector", "bakery", "--lang", "nl", "--out", str(path)).exit_code == 0
    )
    book = openpyxl.load_workbook(path)
    book["Bedrijven"].append(("centrum", "Bakkerij Jansen Centrum", "bakery", "Utrecht"))
    sheet = book["Waarnemingen"]
    row = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[1].value == "greeting_rate")
    for column, value in ((1, "centrum"), (3, 0.38), (5, "14-11-2026"), (6, "mystery shop")):
        sheet.cell(row=row, column=column, value=value)
    sheet.cell(row=row, column=7, value="geen groet bij drukte")
    sheet.cell(row=row, column=3).number_format = "0%"
    book.save(path)
    report = tmp_path / "rapport.html"
    result = run_cli("assess", str(path), "--lang", "nl", "--format", "html", "--out", str(report))
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    assert "Bakkerij Jansen Centrum" in html
    # the 38 % typed, in percent as the consultant saw it: not 0.0038, not the ratio 0.38
    assert "Begroetingspercentage</b>: 38 %" in html.replace("\u00a0", " ")
    assert "mystery shop" in html
    assert "geen groet bij drukte" in html


def test_a_sectors_own_thresholds_and_exceptions_put_their_metrics_first(
    kb: KnowledgeBase, rule_book: RuleBook
) -> None:
    catalogue = MetricCatalogue.from_kb(kb)
    first = {r.metric for r in template_rows(kb, catalogue, rule_book, "restaurant", "en")}
    shaded = {
        r.metric
        for r in template_rows(kb, catalogue, rule_book, "restaurant", "en")
        if r.for_sector
    }
    # a 20-minute threshold of its own; rude service as the product holds only in restaurants
    assert {"service_time_seconds", "rude_service_is_the_product"} <= shaded
    bakery = {
        r.metric for r in template_rows(kb, catalogue, rule_book, "bakery", "en") if r.for_sector
    }
    assert "rude_service_is_the_product" in first
    assert "rude_service_is_the_product" not in bakery
