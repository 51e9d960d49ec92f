"""Message catalogues: every sentence a user reads in explanations and write-ups, in English and Korean.

Each language is a module holding ``MESSAGES``, a dict from key to a
``str.format`` template.  Both catalogues have the same keys and the same
placeholders (a test checks it), so numbers and formulas are the same in every
language: only the words around them change.
"""

from __future__ import annotations

import importlib
import os
import string
from collections.abc import Mapping

LANGS = ("en", "ko")
DEFAULT_LANG = "en"


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: LC_ALL, then LC_MESSAGES, then LANG (ko_* -> ko, else en)."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else DEFAULT_LANG
    return DEFAULT_LANG


def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGS:
        from ..errors import BackcalcError

        raise BackcalcError(f"unknown language '{lang}'; choose one of: {', '.join(LANGS)}")
    return importlib.import_module(f"{__name__}.{lang}").MESSAGES


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class Messages:
    """``m("key", **params)`` -> the sentence in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.table = catalogue(lang)

    def __call__(self, key: str, **params: object) -> str:
        return self.table[key].format(**params)

    def get(self, key: str, default: str) -> str:
        return self.table.get(key, default)

    def op_name(self, op: str) -> str:
        """The gate's name in this language ('add', '덧셈'); ops not in the catalogue keep their own name."""
        return self.table.get("op." + op, op)

    def role_name(self, role: str) -> str:
        return ", ".join(self.table.get("role." + r, r) for r in role.split("+"))  # distributor+copy
