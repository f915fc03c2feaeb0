"""The client report as PDF: the HTML page printed by WeasyPrint (offline, with pango).

WeasyPrint is imported here only, when a PDF is asked for: it costs a second to import.
"""

from __future__ import annotations

from servicekg.reports.client_html import client_html
from servicekg.reports.document import ClientReport

__all__ = ["client_pdf"]


def client_pdf(doc: ClientReport) -> bytes:
    """The PDF of :func:`~servicekg.reports.client_html.client_html` for ``doc``."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=client_html(doc)).write_pdf()
    return pdf
