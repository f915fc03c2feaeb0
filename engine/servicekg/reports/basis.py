"""Whether a rule's advice and target are the article's word or our judgement: one accessor.

The rule files are gaining, per rule, ``rule.basis`` (``.advice`` and ``.threshold`` in
``stated``, ``implied`` or ``judgement``; ``.note``: language -> text) and ``rule.caveats``
(objects with ``.passage`` and ``.text``: language -> text). Reports read them here only, so
that a rule without them still reports: the target's basis then follows from the rule itself
(a threshold read from an ontology benchmark is the article's number, as metrics.ttl gives
benchmarks only where an article gives a number; any other number is our judgement), and the
advice's basis is not claimed.

>>> from types import SimpleNamespace as NS
>>> rule = NS(basis=NS(advice="stated", threshold="judgement", note={"en": "Ours."}))
>>> basis_of(rule, "nl")
Basis(advice='stated', threshold='judgement', note='Ours.')
>>> caveats_of(NS(caveats=[NS(passage="p1", text={"nl": "Let op."})]), "nl")
[Caveat(passage='p1', text='Let op.')]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from servicekg.rules.conditions import iter_comparisons

__all__ = ["BASES", "Basis", "Caveat", "basis_of", "caveats_of"]

BASES = ("stated", "implied", "judgement")
"""What a basis may be: the article says it, it follows from the article, or we judge it."""


@dataclass(frozen=True)
class Basis:
    """Where the advice and the target of one rule come from; ``None`` where not known."""

    advice: str | None
    threshold: str | None
    note: str | None = None


@dataclass(frozen=True)
class Caveat:
    """A reservation about a rule, tied to a passage, in the report's language."""

    passage: str | None
    text: str


def basis_of(rule: object, lang: str, sector: str = "") -> Basis:
    """The basis of ``rule`` for a business of ``sector``: its own ``basis`` where it has one,
    else what the rule implies."""
    found = getattr(rule, "basis", None)
    if found is not None:
        return Basis(
            advice=_known(getattr(found, "advice", None)),
            threshold=_known(getattr(found, "threshold", None)),
            note=_in(getattr(found, "note", None), lang),
        )
    return Basis(advice=None, threshold=_threshold_basis(rule, sector))


def caveats_of(rule: object, lang: str) -> list[Caveat]:
    """The caveats of ``rule`` in ``lang`` (English where a caveat lacks ``lang``)."""
    found = []
    for caveat in getattr(rule, "caveats", None) or ():
        text = _in(getattr(caveat, "text", None), lang)
        if text:
            found.append(Caveat(getattr(caveat, "passage", None), text))
    return found


def _threshold_basis(rule: object, sector: str) -> str | None:
    when = getattr(rule, "when", None)
    if when is None:
        return None
    numbers = [c.threshold for c in iter_comparisons(when) if c.threshold is not None]
    if not numbers:
        return None
    for threshold in numbers:
        applies = sector if any(code == sector for code, _ in threshold.by_sector) else "default"
        if not any(code == applies for code, _ in threshold.benchmarks):
            return "judgement"
    return "stated"


def _known(value: object) -> str | None:
    return value if isinstance(value, str) and value in BASES else None


def _in(texts: object, lang: str) -> str | None:
    if isinstance(texts, str):
        return texts or None
    if isinstance(texts, Mapping):
        return texts.get(lang) or texts.get("en") or None
    return None
