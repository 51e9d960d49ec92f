"""Message catalogues: every sentence a user reads, in English and Korean.

Each language is a module holding ``MESSAGES``, a dict from key to a ``str.format``
template.  Both catalogues have the same keys and the same placeholders (a test renders
every message in both languages), so numbers and formulas are the same in every
language: only the words around them change.

How a sentence gets to the user
-------------------------------
* Explanations and write-ups: ``Messages(lang)("key", **params)``.
* Errors, hints and warnings: the core raises ``BackcalcError(Msg("key", **params),
  hint=Msg(...))`` (:class:`backcalc.errors.Msg`).  A ``Msg`` *is* a ``str``: its value
  is the English sentence, so the Python API, ``str(error)`` and every test that compares
  English text see English.  The command line renders it again in the language chosen
  once per run (``--lang``, else LC_ALL / LC_MESSAGES / LANG: :func:`default_lang`):
  ``err.render(flags, lang)`` gives ``오류: ...`` / ``힌트: ...`` in Korean.
* A plain English string still works everywhere a ``Msg`` does: it is shown as written, in
  every language.  So a new message can start life as English and be converted later by
  moving its text into both catalogues (see docs/i18n.md).
* Parameters that are themselves ``Msg`` render in the same language (a reason inside
  a sentence); numbers, names and formulas are shown as given.

Korean particles
----------------
Korean templates never write ``(으)로`` or ``이(가)``.  A placeholder's format spec names
the particle pair, and :func:`josa` picks the form by the preceding word's final consonant
(받침): ``{name:이/가}`` gives ``x가``, ``6이``; ``{node:으로/로}`` gives ``q로``, ``1로``
(ㄹ takes 로), ``n3으로``.  A spec starting with ``'`` also quotes the value: ``{name:'이/가}``
gives ``'yy'가``.  Digits and Latin letters are read as Koreans read them (6 육, 1 일, x
엑스, m 엠, l 엘); see :func:`final_consonant`.

Start-up: nothing here imports a catalogue until a message is rendered (``en.py`` and
``ko.py`` load on first use), so a plain ``backcalc grad`` never pays for them.
"""

from __future__ import annotations

import importlib
import os
import string
from collections.abc import Mapping
from typing import Any

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


_tables: dict[str, dict[str, str]] = {}


def catalogue(lang: str) -> dict[str, str]:
    table = _tables.get(lang)
    if table is not None:
        return table
    if lang not in LANGS:
        from ..errors import BackcalcError

        raise BackcalcError(f"unknown language '{lang}'; choose one of: {', '.join(LANGS)}")
    table = _tables[lang] = importlib.import_module(f"{__name__}.{lang}").MESSAGES
    return table


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# --- Korean particles -------------------------------------------------------------------

# final consonant (jongseong index, 0 = none, 8 = ㄹ) of digits and Latin letters as read aloud
_DIGITS = {"0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}
# a 에이, b 비, c 씨, ..., l 엘, m 엠, n 엔, r 알; the others end in a vowel
_LETTERS = {"l": 8, "m": 16, "n": 4, "r": 8}
_RIEUL = 8
_SKIP = "'\"`)]}>’”」』 .,;:!?…"
_QUOTES = "'\"`’” "
# symbols by their Korean names: 괄호, 등호, 쉼표, 마침표, 더하기, 빼기, 곱하기 ... end in a vowel;
# 콜론, 세미콜론 in ㄴ
_SYMBOLS = {c: 0 for c in "()[]{}=,.+-*/^@|&%$!?~`<>"} | {":": 4, ";": 4}
# particle pairs: (after a final consonant, after a vowel); 으로/로 also takes 로 after ㄹ
_PAIRS = {
    "이/가": ("이", "가"),
    "은/는": ("은", "는"),
    "을/를": ("을", "를"),
    "과/와": ("과", "와"),
    "으로/로": ("으로", "로"),
    "이다/다": ("이다", "다"),
    "이고/고": ("이고", "고"),
    "이나/나": ("이나", "나"),
    "이라/라": ("이라", "라"),
    "이라는/라는": ("이라는", "라는"),
    "이라고/라고": ("이라고", "라고"),
    "이면/면": ("이면", "면"),
    "이며/며": ("이며", "며"),
    "아/야": ("아", "야"),
    "이어야/여야": ("이어야", "여야"),
}
# either order is accepted: 가/이 is 이/가
_PAIRS.update({"/".join(reversed(k.split("/"))): v for k, v in list(_PAIRS.items())})


def final_consonant(word: str) -> int | None:
    """The final consonant of ``word`` as read aloud (0: none, 8: ㄹ, other: another one),
    or None when it cannot be told (no letter or digit at the end).

    Hangul by its code point; digits as read (1 일, 3 삼, 6 육, 10 십 ...: the last digit
    decides, except 10, 100, ... which read 십, 백, 천, 만); single Latin letters and capitals by
    their names (엘, 엠, 엔, 알 have one); lowercase words by their ending (-m, -n, -l, -ng)."""
    w = word.rstrip(_QUOTES)
    if w.endswith("(...)"):
        w = w[:-5]
    core = w.lstrip(_QUOTES)
    if len(core) == 1 and core in _SYMBOLS:  # '=' 등호, ')' 괄호, ':' 콜론
        return _SYMBOLS[core]
    w = w.rstrip(_SKIP)
    if not w:
        return None
    c = w[-1]
    if "가" <= c <= "힣":
        return (ord(c) - 0xAC00) % 28
    if c.isdigit() and c in _DIGITS:
        digits = w[len(w.rstrip("0123456789")) :]
        if c == "0" and digits.strip("0") and len(digits) > 1:
            zeros = len(digits) - len(digits.rstrip("0"))
            # 10 십, 100 백, 1000 천, 10000 만 (ㅂ, ㄱ, ㄴ, ㄴ)
            return {1: 17, 2: 1, 3: 4}.get(zeros, 4)
        return _DIGITS[c]
    if "α" <= c <= "ω":  # Greek letters as read: 알파, 베타, 시그마 ... (엡실론, 오미크론 end in ㄴ)
        return 4 if c in "εο" else 0
    if c.isascii() and c.isalpha():
        tail = w[len(w.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")) :]
        if len(tail) == 1 or c.isupper():
            return _LETTERS.get(c.lower(), 0)
        if tail.lower().endswith("ng"):
            return 21
        return {"m": 16, "n": 4, "l": 8}.get(c.lower(), 0)
    return None


def josa(word: str, pair: str) -> str:
    """The particle of ``pair`` ("이/가", "은/는", "을/를", "과/와", "으로/로", "이다/다", ...)
    that follows ``word``: ``josa("6", "은/는")`` is "은", ``josa("y", "이/가")`` "가",
    ``josa("1", "으로/로")`` "로" (ㄹ takes 로).  Where the ending cannot be told, the
    vowel form for 으로/로 and the consonant form otherwise."""
    try:
        consonant, vowel = _PAIRS[pair]
    except KeyError:
        raise ValueError(f"unknown particle pair {pair!r}") from None
    jong = final_consonant(word)
    if jong is None:
        return vowel if consonant == "으로" else consonant
    if consonant == "으로" and jong == _RIEUL:
        return vowel
    return consonant if jong else vowel


class _Formatter(string.Formatter):
    """str.format with two additions: a ``Msg`` parameter renders in the same language,
    and a particle spec (``{x:이/가}``, ``{x:'은/는}``) appends the particle."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        value = _in_lang(value, self.lang)
        if format_spec:
            quoted = format_spec[0] == "'"
            pair = format_spec[1:] if quoted else format_spec
            if pair in _PAIRS or quoted:
                text = f"'{value}'" if quoted else str(value)
                return text + (josa(text, pair) if pair else "")
        return super().format_field(value, format_spec)


def _in_lang(value: Any, lang: str) -> Any:
    text = getattr(value, "text", None)
    if text is not None and callable(text) and hasattr(value, "key"):
        return text(lang)
    return value


def render(lang: str, key: str, params: Mapping[str, Any]) -> str:
    """The template ``key`` of ``lang`` (English when ``lang`` lacks it) filled with ``params``."""
    table = catalogue(lang)
    template = table.get(key)
    if template is None:
        template = catalogue(DEFAULT_LANG)[key]
    return _Formatter(lang).vformat(template, (), params)


class Messages:
    """``m("key", **params)`` -> the sentence in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.table = catalogue(lang)
        self._fmt = _Formatter(lang)

    def __call__(self, key: str, **params: object) -> str:
        return self._fmt.vformat(self.table[key], (), params)

    def get(self, key: str, default: str) -> str:
        return self.table.get(key, default)

    def op_name(self, op: str) -> str:
        """The gate's name in this language ('add', '덧셈'); ops not in the catalogue keep their own name."""
        return self.table.get("op." + op, op)

    def role_name(self, role: str) -> str:
        return ", ".join(self.table.get("role." + r, r) for r in role.split("+"))  # distributor+copy
