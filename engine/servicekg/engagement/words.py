"""The words of the engagement reports (progress, follow-ups, chain, what-if) in en, nl, lv.

They are data (``words.yaml`` beside this module), so that a translator edits one file.

>>> words("nl")["transitions"]["resolved"]
'opgelost'
>>> words("xx")
Traceback (most recent call last):
...
servicekg.errors.UnknownTermError: unknown language 'xx'; known: en, lv, nl
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from servicekg.errors import UnknownTermError

__all__ = ["words"]

_FILE = Path(__file__).with_name("words.yaml")


@cache
def _all() -> dict[str, dict[str, Any]]:
    with _FILE.open(encoding="utf-8") as handle:
        found: dict[str, dict[str, Any]] = yaml.safe_load(handle)
    return found


def words(lang: str) -> dict[str, Any]:
    """The words in ``lang`` (``en``, ``nl`` or ``lv``)."""
    found = _all()
    if lang not in found:
        raise UnknownTermError("language", lang, sorted(found))
    return found[lang]
