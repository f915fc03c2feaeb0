"""Rules as data: rule files read and checked, described in the graph, run by durable-rules.

A consultant writes rules in ``rules/*.yaml`` (see ``rules/README.md``);
:func:`load_rules` checks them against the knowledge graph and compiles them into a
:class:`RuleBook`, whose :meth:`~RuleBook.evaluate` runs every rule over one business.
"""

from servicekg.rules.conditions import (
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    SectorTest,
    Threshold,
    describe,
)
from servicekg.rules.rule_files import check_rules, load_overrides, load_rules, rule_files
from servicekg.rules.rule_graph import RULE, RULES_GRAPH, add_rules_to_kb, rules_to_rdf
from servicekg.rules.rulebook import SEVERITIES, Example, Firing, Rule, RuleBook

__all__ = [
    "RULE",
    "RULES_GRAPH",
    "SEVERITIES",
    "AllOf",
    "AnyOf",
    "Comparison",
    "Condition",
    "Example",
    "Firing",
    "Rule",
    "RuleBook",
    "SectorTest",
    "Threshold",
    "add_rules_to_kb",
    "check_rules",
    "describe",
    "load_overrides",
    "load_rules",
    "rule_files",
    "rules_to_rdf",
]
