"""The client report: PDF pages and text in en/nl/lv, the HTML parsed, DOCX and Markdown.

The PDF is read back as a client would get it: its text through poppler's ``pdftotext`` and
its first pages as images through ``pdftoppm`` (kept in ``test-artifacts/`` to look at).
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from servicekg.assessment.pipeline import AssessmentRun, run_assessment
from servicekg.reports.build import ReportOptions, build_report
from servicekg.reports.client import client_report
from servicekg.reports.client_html import client_html
from servicekg.reports.words import Words, catalogue
from servicekg.resources import data_root

EXAMPLES = data_root() / "examples"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CLIENT = "Bakkerij Jansen B.V."
OPTIONS = ReportOptions(client=CLIENT, consultant="A. de Vries")
_POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")

pytestmark = pytest.mark.skipif(not _POPPLER, reason="needs poppler-utils (pdftotext, pdftoppm)")


@functools.cache
@functools.cache
def _made(lang: str) -> tuple[AssessmentRun, Path, list[str]]:
    """One language's run, its PDF, the PDF's text per page; its first pages kept as PNG."""
    run = run_assessment([EXAMPLES], lang=lang)
    pdf = client_report(run, "pdf", OPTIONS)
    assert isinstance(pdf, bytes)
    folder = Path(tempfile.mkdtemp(prefix=f"servicekg-report-{lang}-"))
    path = folder / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "6", str(path), str(ARTIFACTS / lang)],
        check=True,
    )
    return run, path, text.split("\f")


@pytest.fixture(scope="module", params=["en", "nl", "lv"])
def report(request: pytest.FixtureRequest):
    """The language, its run, the PDF and the PDF's text per page."""
    return (request.param, *_made(request.param))


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow  # renders the PDF
def test_the_client_is_named_on_the_title_page(report) -> None:
    lang, _run, _path, pages = report
    assert CLIENT in pages[0]
    assert Words(lang)["report_title"] in _flat(pages[0])
    assert "A. de Vries" in pages[0]


@pytest.mark.slow  # renders the PDF
def test_every_recommendation_is_in_the_pdf(report) -> None:
    _lang, run, _path, pages = report
    text = _flat(" ".join(pages))
    titles = [r.title for b in run.report.businesses for r in b.recommendations]
    assert titles
    missing = [title for title in titles if _flat(title) not in text]
    assert not missing


@pytest.mark.slow  # renders the PDF
def test_the_first_pages_are_kept_as_images(report) -> None:
    lang, _run, _path, _pages = report
    images = sorted(ARTIFACTS.glob(f"{lang}-*.png"))
    assert len(images) >= 3
    assert all(image.stat().st_size > 2000 for image in images)


@pytest.mark.slow  # renders the PDF
def test_no_text_lies_outside_the_page(report) -> None:
    _lang, _run, path, _pages = report
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    outside = []
    width = height = 0.0
    for line in boxes.splitlines():
        page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if page:
            width, height = float(page[1]), float(page[2])
            continue
        word = re.search(
            r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">'
            r"(.*)</word>",
            line,
        )
        if word:
            x0, y0, x1, y1 = (float(word[i]) for i in range(1, 5))
            if x0 < 0 or y0 < 0 or x1 > width + 0.5 or y1 > height + 0.5:
                outside.append(word[5])
    assert not outside


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", re.sub(r"\{[^}]*\}", " ", text))}


def _data_words(run: AssessmentRun, lang: str) -> set[str]:
    """Words the report carries as data, not as its own: the consultant's notes, sources,
    places and names, the passages in their original words, and passages shown in English
    where the graph has no rendering in ``lang`` yet (said so in the report)."""
    found: set[str] = _words(" ".join(filter(None, (OPTIONS.client, OPTIONS.consultant))))
    for obs in run.observations.observations:
        for text in (obs.note, obs.source, obs.location, obs.business):
            found |= _words(text or "")
    for business in run.observations.businesses.values():
        found |= _words(business.name or "") | _words(business.region or "")
    rendered = {
        row["p"]
        for row in run.kb.select(
            f"SELECT ?p WHERE {{ ?p skg:rendering ?r FILTER (LANG(?r) = '{lang}') }}"
        )
    }
    for business in run.report.businesses:
        quotes = [s for rec in business.recommendations for s in rec.sources]
        quotes += [c.passage for rec in business.recommendations for c in rec.caveats]
        quotes += [q for aside in business.set_aside for q in aside.passages]
        for source in quotes:
            found |= _words(source.quote) | _words(source.article)  # the article's own words
            if source.passage not in rendered:
                found |= _words(source.rendering)
        for finding in business.data_quality:
            found |= set().union(*(_words(e.origin or "") for e in finding.observations))
    return found


def _words_of_the_language(run: AssessmentRun, lang: str) -> set[str]:
    """Words our own texts in ``lang`` use (the graph's and the rules'): ``basis`` and ``was``
    are Dutch words as well as English ones."""
    found: set[str] = set()
    for row in run.kb.select(
        f"SELECT ?t WHERE {{ ?s ?p ?t FILTER (isLiteral(?t) && LANG(?t) = '{lang}') }}"
    ):
        found |= _words(str(row["t"]))
    return found


@pytest.mark.slow  # renders the PDF
@pytest.mark.parametrize("lang", ["nl", "lv"])
def test_no_english_word_of_ours_in_a_dutch_or_latvian_report(lang: str) -> None:
    run, _path, pages = _made(lang)
    text = " ".join(pages)
    ours = Words("en")
    english = set().union(*(_words(t) for t in ours.words_of("en")))
    same = set().union(*(_words(t) for t in ours.words_of(lang)))
    suspects = english - same - _words_of_the_language(run, lang) - _data_words(run, lang)
    found = sorted(_words(text) & suspects)
    assert not found, f"English words of ours in the {lang} report: {found}"


def test_the_english_words_check_catches_an_english_heading() -> None:
    """The check above would fail on a heading left in English (it is not vacuous)."""
    english = set().union(*(_words(t) for t in Words("en").words_of("en")))
    dutch = set().union(*(_words(t) for t in Words("nl").words_of("nl")))
    assert "recommendations" in english - dutch
    assert "observed" in english - dutch


@pytest.fixture(scope="module")
def dutch_run() -> AssessmentRun:
    return run_assessment([EXAMPLES], lang="nl")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_has_a_section_and_a_chart_per_business_and_no_script(dutch_run) -> None:
    page = _Page()
    page.feed(client_report(dutch_run, "html", OPTIONS))  # type: ignore[arg-type]
    sections = [a for t, a in page.tags if t == "section" and "business" in (a.get("class") or "")]
    assessed = [b for b in dutch_run.report.businesses if b.observations]
    assert len(sections) == len(assessed)
    assert sum(1 for t, _ in page.tags if t == "svg") >= len(assessed)
    assert not any(t in ("script", "link", "img", "iframe") for t, _ in page.tags)
    text = " ".join(page.text)
    for key in ("executive_summary", "top_actions", "strengths", "recommendations", "appendix"):
        assert Words("nl")[key] in text


def test_values_are_in_the_unit_entered_with_target_and_gap_in_words(dutch_run) -> None:
    doc = build_report(dutch_run, OPTIONS)
    burgeri = next(b for b in doc.businesses if b.id == "burgeri-riga")
    slow = next(r for r in burgeri.recommendations if r.severity == "high")
    line = slow.evidence[0].value
    # observed as 2.6 min; the fast-food target is the McDonald's 90 seconds
    assert line == "2,6\u00a0min; doel: hoogstens 1,5\u00a0min; 1,1\u00a0min boven het doel"
    html = client_html(doc)
    assert "156\u00a0s" not in html  # never the base unit the engine compares in
    assert " ratio" not in html


def test_dates_and_numbers_follow_the_locale(dutch_run) -> None:
    doc = build_report(dutch_run, OPTIONS)
    assert doc.period == "10 maart 2026 \u2013 30 september 2026"
    latvian = Words("lv")
    assert latvian.number(37.5) == "37,5"
    assert latvian.date("2026-12-02") == "2026. gada 2. decembris"


def test_the_consultants_note_and_source_travel_with_the_evidence(dutch_run) -> None:
    doc = build_report(dutch_run, OPTIONS)
    burgeri = next(b for b in doc.businesses if b.id == "burgeri-riga")
    evidence = burgeri.recommendations[0].evidence[0]
    assert evidence.source == "mystery shop"
    assert evidence.note is not None
    assert "hronometru" in evidence.note


def test_could_not_judge_is_one_table_after_the_recommendations(dutch_run) -> None:
    html = client_report(dutch_run, "html", OPTIONS)
    assert isinstance(html, str)
    for section in html.split('<section class="business"')[1:]:
        if 'class="unjudged"' in section:
            assert section.count('class="unjudged"') == 1
            assert section.index('class="unjudged"') > section.index("Aanbevelingen")


def test_the_score_formula_is_only_in_the_appendix(dutch_run) -> None:
    html = client_report(dutch_run, "html", OPTIONS)
    assert isinstance(html, str)
    body, appendix = html.split('<section class="appendix">')
    assert "0,5 + afstand / 2" in appendix
    assert "afstand / 2" not in body


def test_docx_and_markdown_have_the_same_structure(dutch_run, tmp_path: Path) -> None:
    import docx

    content = client_report(dutch_run, "docx", OPTIONS)
    assert isinstance(content, bytes)
    (tmp_path / "r.docx").write_bytes(content)
    document = docx.Document(str(tmp_path / "r.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    markdown = client_report(dutch_run, "markdown", OPTIONS)
    assert isinstance(markdown, str)
    names = [b.name or b.business for b in dutch_run.report.businesses if b.observations]
    for name in names:
        assert name in headings
        assert f"## {name}" in markdown.replace("\\", "")
    assert "Samenvatting voor de directie" in headings
    assert "## Samenvatting voor de directie" in markdown


def test_the_catalogue_has_every_word_in_every_language() -> None:
    for key, texts in catalogue()["words"].items():
        assert set(texts) == {"en", "nl", "lv"}, key
        fields = {re.findall(r"\{(\w+)\}", text).__len__() for text in texts.values()}
        assert len(fields) == 1, key


def test_pdf_needs_an_out_file(run_cli) -> None:
    result = run_cli(
        "assess", str(EXAMPLES / "observations" / "burgeri-riga.csv"), "--format", "pdf"
    )
    assert result.exit_code == 2
    assert "--out" in result.output


def test_the_loader_keeps_the_unit_the_consultant_entered(load, tmp_path: Path) -> None:
    observed = tmp_path / "o.csv"
    observed.write_text(
        "business,metric,value,unit\n"
        "b1,service_time_seconds,2.5,min\n"
        "b1,greeting_rate,78%,\n"
        "b1,queue_wait_seconds,40,\n",
        encoding="utf-8",
    )
    found = {o.metric: o for o in load(observed).observations}
    assert (found["service_time_seconds"].value, found["service_time_seconds"].entered_unit) == (
        150.0,
        "min",
    )
    assert (found["greeting_rate"].value, found["greeting_rate"].entered_unit) == (0.78, "%")
    assert found["queue_wait_seconds"].entered_unit is None  # the metric's own unit


@pytest.mark.parametrize(
    ("rule_id", "sector", "expected"),
    [("slow-service-fast-food", "fast-food", "stated"), ("slow-service", "retail", "judgement")],
)
def test_a_target_read_from_an_article_benchmark_is_the_articles_word(
    rule_id: str, sector: str, expected: str
) -> None:
    from servicekg.reports.basis import basis_of
    from servicekg.rules import load_rules

    rule = load_rules().get(rule_id)  # fast food: the McDonald's 90 seconds; elsewhere ours
    assert basis_of(rule, "nl", sector).threshold == expected


def test_the_report_says_whose_word_the_target_is(dutch_run) -> None:
    doc = build_report(dutch_run, OPTIONS)
    burgeri = next(b for b in doc.businesses if b.id == "burgeri-riga")
    slow = next(r for r in burgeri.recommendations if r.severity == "high")
    assert "Het doel: staat zo in het artikel." in slow.basis


def test_a_rule_whose_exception_holds_sets_no_target_in_the_chart(dutch_run) -> None:
    """Regression: Mouthy Mike's rudeness is the product; its friendliness was drawn as failing."""
    doc = build_report(dutch_run, OPTIONS)
    diner = next(b for b in doc.businesses if b.id == "mouthy-mikes-diner")
    assert diner.bars
    assert not [bar.label for bar in diner.bars if bar.label == "Vriendelijkheid"]


def test_client_consultant_and_period_may_come_from_the_businesses_file(tmp_path: Path) -> None:
    (tmp_path / "businesses.csv").write_text(
        "business,name,sector,client,consultant,period\n"
        "b1,Bakkerij Jansen Centrum,retail,Bakkerij Jansen B.V.,A. de Vries,najaar 2026\n",
        encoding="utf-8",
    )
    (tmp_path / "observations.csv").write_text(
        "business,metric,value,unit,observed_at\nb1,service_time_seconds,7.5,min,2026-11-14\n",
        encoding="utf-8",
    )
    run = run_assessment([tmp_path], lang="nl")
    doc = build_report(run)
    assert (doc.client, doc.consultant, doc.period) == (
        "Bakkerij Jansen B.V.",
        "A. de Vries",
        "najaar 2026",
    )
    line = doc.businesses[0].recommendations[0].evidence[0].value
    assert line == "7,5\u00a0min; doel: hoogstens 5\u00a0min; 2,5\u00a0min boven het doel"
    given = build_report(run, ReportOptions(client="Jansen", period="november 2026"))
    assert (given.client, given.period) == ("Jansen", "november 2026")


_FINDINGS = (
    "business,metric,value\n"
    "slow,service_time_seconds,600\n"
    "slow,complaint_rate,25\n"
    "diner,rude_service_is_the_product,true\n"
    "diner,friendliness_score,1.8\n"
    "diner,greeting_rate,0.2\n"
    "counts,complaint_rate,5\n"
    "counts,complaints_received,40\n"
    "counts,customers_served,1000\n",
    "business,name,sector\n"
    "slow,Hoekwinkel,retail\n"
    "diner,Insult Grill,restaurant\n"
    "counts,Tuinhuis,retail\n",
)


@functools.cache
def _findings_run(lang: str) -> AssessmentRun:
    folder = Path(tempfile.mkdtemp(prefix=f"servicekg-findings-{lang}-"))
    (folder / "obs.csv").write_text(_FINDINGS[0], encoding="utf-8")
    (folder / "biz.csv").write_text(_FINDINGS[1], encoding="utf-8")
    return run_assessment([folder / "obs.csv", folder / "biz.csv"], lang=lang)


def test_a_dutch_report_says_why_rude_service_rules_are_set_aside() -> None:
    """A restaurant whose rudeness is the product: the rule is named as set aside, with the
    Chicago passage in its Latvian words and rendered in Dutch; no recommendation to be nice."""
    run = _findings_run("nl")
    doc = build_report(run, OPTIONS)
    diner = next(b for b in doc.businesses if b.id == "diner")
    assert not diner.recommendations
    (aside,) = diner.set_aside
    assert "Klanten vinden het personeel niet vriendelijk" in aside.title
    assert aside.reason == "Onbeleefde bediening als product"
    chicago = next(p for p in aside.passages if "Čikāgā" in p.quote)
    assert chicago.rendering
    assert "In Chicago zijn er" in chicago.rendering
    for fmt in ("html", "markdown"):
        text = _flat(client_report(run, fmt, OPTIONS))  # type: ignore[arg-type]
        assert Words("nl")["set_aside"] in text
        assert "In Chicago zijn er bijvoorbeeld" in text


def test_an_unobserved_staff_treatment_is_to_check_not_the_root_cause() -> None:
    """Slow service and complaints, staff treatment not observed: it is to be checked, with
    the metrics that would decide it, and never called a (suspected) root cause."""
    for lang in ("nl", "en"):
        doc = build_report(_findings_run(lang), OPTIONS)
        slow = next(b for b in doc.businesses if b.id == "slow")
        (item,) = [t for t in slow.to_check if "medewerkers" in t.concept.lower()] or [
            t for t in slow.to_check if "employee" in t.concept.lower()
        ]
        assert "Personeelsverloop" in item.measures or "turnover" in item.measures.lower()
        assert "\u2192" in item.path
        assert not any(item.concept in cause for cause in slow.root_causes)
        text = client_report(_findings_run(lang), "markdown", OPTIONS)
        assert "suspected" not in text
        assert "vermoed" not in text


def test_data_quality_findings_name_the_rows() -> None:
    doc = build_report(_findings_run("lv"), OPTIONS)
    counts = next(b for b in doc.businesses if b.id == "counts")
    (line,) = counts.data_quality
    assert "obs.csv:7" in line
    assert "obs.csv:8" in line
    assert "rindas" in line


def test_strengths_and_caveats_come_from_the_assessment(dutch_run) -> None:
    doc = build_report(dutch_run, OPTIONS)
    for business, section in zip(
        [b for b in dutch_run.report.businesses if b.observations or b.error],
        doc.businesses,
        strict=True,
    ):
        assert len(section.strengths) == len(business.strengths)
        for rec, view in zip(business.recommendations, section.recommendations, strict=True):
            assert [c.text for c in view.caveats] == [c.text for c in rec.caveats]
            assert all(c.passage is not None for c in view.caveats)
    assert doc.strengths
    assert all(s.why for s in doc.strengths)


@pytest.mark.parametrize("lang", ["nl", "lv"])
def test_no_english_word_in_the_findings_sections(lang: str) -> None:
    run = _findings_run(lang)
    text = client_report(run, "markdown", OPTIONS)
    ours = Words(lang)
    english = set().union(*(_words(t) for t in ours.words_of("en")))
    same = set().union(*(_words(t) for t in ours.words_of(lang)))
    found = (english - same - _words_of_the_language(run, lang) - _data_words(run, lang)) & _words(
        text  # type: ignore[arg-type]
    )
    assert not found, f"English words of ours in the {lang} report: {found}"
