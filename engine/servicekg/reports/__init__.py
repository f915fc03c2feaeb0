"""Assessment reports for people and programs: JSON, Markdown, HTML, Turtle."""

from servicekg.reports.html import html_report
from servicekg.reports.markdown import markdown_report

__all__ = ["html_report", "markdown_report"]
