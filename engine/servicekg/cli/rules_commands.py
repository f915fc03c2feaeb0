"""``servicekg rules``: list the rules, show one, check the rule files."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from servicekg.cli.app import app, console, err_console, lang_option
from servicekg.errors import EXIT_ERROR, EXIT_OK
from servicekg.namespace import local_name
from servicekg.rules import check_rules, describe, load_rules

__all__ = ["rules"]


@app.group()
def rules() -> None:
    """The rules: list them, show one, check the rule files."""


@rules.command("list")
@lang_option
def rules_list(lang: str) -> None:
    """Every rule: id, severity, what it addresses, its title."""
    from servicekg.cli.printing import print_table

    book = load_rules()
    print_table(
        ["id", "severity", "addresses", "title"],
        [[r.id, r.severity, local_name(r.addresses), r.text("title", lang)] for r in book],
    )


@rules.command("show")
@click.argument("rule_id")
@lang_option
def rules_show(rule_id: str, lang: str) -> None:
    """One rule: its conditions, exceptions, text, principles and sources."""
    rule = load_rules().get(rule_id)
    console.print(
        f"[bold]{escape(rule.id)}[/]: {escape(rule.text('title', lang))} ({rule.severity})"
    )
    console.print(f"file: {rule.file}:{rule.line}")
    console.print(f"when: {escape(describe(rule.when))}")
    if rule.unless is not None:
        console.print(f"unless: {escape(describe(rule.unless))}")
    console.print(f"addresses: {rule.addresses}")
    console.print("principles: " + ", ".join(rule.principles))
    console.print("sources: " + ", ".join(rule.sources))
    if rule.rationale:
        console.print(f"rationale: {escape(rule.rationale)}")
    console.print(escape(rule.text("recommendation", lang)))


@rules.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--overrides", type=click.Path(path_type=Path), help="YAML of threshold overrides.")
@click.pass_context
def rules_check(ctx: click.Context, paths: tuple[Path, ...], overrides: Path | None) -> None:
    """Check rule files (default: rules/): exit 0 when every rule is sound, 2 otherwise."""
    problems = check_rules(list(paths) or None, overrides=overrides)
    for problem in problems:
        err_console.print(escape(str(problem)))
    if problems:
        err_console.print(f"{len(problems)} problem(s)")
        ctx.exit(EXIT_ERROR)
    console.print("rules are sound")
    ctx.exit(EXIT_OK)
