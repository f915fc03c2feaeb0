"""The client report in the format asked for: HTML, PDF, Markdown or DOCX, from one builder.

>>> CLIENT_FORMATS
('html', 'pdf', 'markdown', 'docx')
"""

from __future__ import annotations

from servicekg.assessment.pipeline import AssessmentRun
from servicekg.errors import UnknownTermError
from servicekg.reports.build import ReportOptions, build_report
from servicekg.rules.rulebook import RuleBook

__all__ = ["BINARY_FORMATS", "CLIENT_FORMATS", "ReportOptions", "client_report"]

CLIENT_FORMATS = ("html", "pdf", "markdown", "docx")
BINARY_FORMATS = frozenset({"pdf", "docx"})


def client_report(
    run: AssessmentRun,
    fmt: str,
    options: ReportOptions | None = None,
    book: RuleBook | None = None,
) -> str | bytes:
    """The report of ``run`` as ``fmt``: text for HTML and Markdown, bytes for PDF and DOCX."""
    doc = build_report(run, options, book)
    if fmt == "html":
        from servicekg.reports.client_html import client_html

        return client_html(doc)
    if fmt == "markdown":
        from servicekg.reports.client_markdown import client_markdown

        return client_markdown(doc)
    if fmt == "pdf":
        from servicekg.reports.client_pdf import client_pdf

        return client_pdf(doc)
    if fmt == "docx":
        from servicekg.reports.client_docx import client_docx

        return client_docx(doc)
    raise UnknownTermError("report format", fmt, list(CLIENT_FORMATS))
