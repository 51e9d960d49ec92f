"""One error type for everything a user can get wrong: a message, a source span, an exit code.

Messages come from the catalogue (:mod:`backcalc.i18n`) as :class:`Msg` ("a key and its
parameters"), which is a ``str`` holding the English sentence: the Python API reads
English, the command line renders the same error in the language of the run with
``err.render(flags, lang)``.  A plain string is still a valid message (shown as written
in every language).
"""

from __future__ import annotations

import enum
import re
from typing import Any


class ExitCode(enum.IntEnum):
    OK = 0
    CHECK_FAILED = 1
    BAD_INPUT = 2
    INTERRUPTED = 130


_SETTING = re.compile("\x00([^\x00\x01]*)\x01([^\x00]*)\x00")


def setting(name: str, text: str | None = None) -> str:
    """A mention of the setting ``name`` (its API name, e.g. "lr") in a message or hint.

    The core never names command-line flags: it mentions settings, shown as ``text``
    (default: the name itself) and, when the CLI renders the error, as their flags."""
    return f"\x00{name}\x01{name if text is None else text}\x00"


def resolve(text: str, flags: dict[str, str] | None = None) -> str:
    """``text`` with each setting mention shown as its flag (from ``flags``) or its text."""
    if "\x00" not in text:
        return text
    return _SETTING.sub(lambda m: (flags or {}).get(m.group(1), m.group(2)), text)


class Msg(str):
    """A catalogue sentence: ``Msg("values.missing", name="y")``.

    Its ``str`` value is the English sentence (the catalogue's ``en`` template filled in),
    so it can be compared, joined and printed as any string; :meth:`text` renders it in
    another language.  Parameters that are ``Msg`` render in the same language."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, /, **params: Any) -> Msg:
        from .i18n import render

        obj = super().__new__(cls, render("en", key, params))
        obj.key = key
        obj.params = params
        return obj

    def text(self, lang: str = "en") -> str:
        if lang == "en":
            return str.__str__(self)
        from .i18n import render

        try:
            return render(lang, self.key, self.params)
        except Exception:  # a broken translation must not hide the error: show the English
            return str.__str__(self)

    def __reduce__(self) -> Any:
        return (_rebuild, (self.key, self.params))


def _rebuild(key: str, params: dict[str, Any]) -> Msg:
    return Msg(key, **params)


def in_lang(text: Any, lang: str) -> str:
    """``text`` in ``lang``: a :class:`Msg` is rendered, anything else shown as it is."""
    if isinstance(text, Msg):
        return text.text(lang)
    return str(text)


_LABELS_EN = {"error": "error", "hint": "hint", "warning": "warning"}


def label(name: str, lang: str = "en") -> str:
    """'error', 'hint', 'warning' in ``lang`` ('오류', '힌트', '경고')."""
    if lang == "en":
        return _LABELS_EN[name]
    from .i18n import render

    return render(lang, "label." + name, {})


class BackcalcError(Exception):
    """A problem with the user's input (or a limit it hit).

    ``span`` is a (start, end) character range into ``source``; when both are
    set, :meth:`render` draws the offending line with a caret under the span.
    ``end_note`` labels a second caret at ``span[1]`` (e.g. "expression ended here").
    Settings mentioned with :func:`setting` read as their names in ``message`` and
    ``hint``, and as command-line flags in ``render(flags)``.
    """

    def __init__(
        self,
        message: str | Msg,
        *,
        source: str | None = None,
        span: tuple[int, int] | None = None,
        hint: str | Msg | None = None,
        end_note: str | Msg | None = None,
        code: ExitCode = ExitCode.BAD_INPUT,
    ) -> None:
        super().__init__(resolve(message))
        self.message = resolve(message)
        self.source = source
        self.span = span
        self.hint = None if hint is None else resolve(hint)
        self._raw = (message, hint)  # with the setting mentions, for render(flags)
        self.end_note = end_note
        self.code = code

    def reword(self, message: str | Msg | None = None, hint: str | Msg | None = None) -> BackcalcError:
        """A new message or hint (either may mention settings), e.g. the context a caller adds."""
        raw_message, raw_hint = self._raw
        if message is not None:
            raw_message = message
            self.message = resolve(message)
            self.args = (self.message,)
        if hint is not None:
            raw_hint = hint
            self.hint = resolve(hint)
        self._raw = (raw_message, raw_hint)
        return self

    def with_source(self, source: str) -> BackcalcError:
        if self.source is None:
            self.source = source
        return self

    def location(self) -> str:
        """'column 5' or 'line 2, column 5' for the span's start ('' without one)."""
        if self.source is None or self.span is None:
            return ""
        return str(where(self.source, self.span[0]))

    def render(self, flags: dict[str, str] | None = None, lang: str = "en") -> str:
        """The full text for stderr: 'error: ...', then the source line and carets, then
        'hint: ...', in ``lang``; ``flags`` maps settings to the command-line flags that set them."""
        message = _shown(self.message, self._raw[0], flags, lang)
        hint = None if self.hint is None else _shown(self.hint, self._raw[1], flags, lang)
        lines = [f"{label('error', lang)}: {message}"]
        if self.source is not None and self.span is not None:
            note = None if self.end_note is None else in_lang(self.end_note, lang)
            lines.extend(caret_lines(self.source, self.span, note))
        if hint:
            lines.append(f"{label('hint', lang)}: {hint}")
        return "\n".join(lines)


def where(source: str, pos: int) -> Msg:
    """'column 5', or 'line 2, column 5' in a text of several lines."""
    line, col = line_col(source, pos)
    if "\n" in source:
        return Msg("where.line_column", line=line, column=col)
    return Msg("where.column", column=col)


def _shown(text: str, raw: Any, flags: dict[str, str] | None, lang: str = "en") -> str:
    """``text`` (in ``lang``) with its settings shown as flags, unless it was changed after
    the error was made."""
    if raw is None or resolve(raw) != text:
        return text
    return resolve(in_lang(raw, lang), flags)


def line_col(source: str, pos: int) -> tuple[int, int]:
    """1-based (line, column) of character offset ``pos``."""
    pos = max(0, min(pos, len(source)))
    line = source.count("\n", 0, pos) + 1
    start = source.rfind("\n", 0, pos) + 1
    return line, pos - start + 1


_SHOW = 76  # characters of a long source line shown around the error


def caret_lines(source: str, span: tuple[int, int], end_note: str | None = None) -> list[str]:
    start, end = span
    start = max(0, min(start, len(source)))
    end = max(start, min(end, len(source)))
    ls = source.rfind("\n", 0, start) + 1
    le = source.find("\n", start)
    if le < 0:
        le = len(source)
    text = source[ls:le]
    a, b = start - ls, min(end, le) - ls
    # Keep a window around the error on very long lines.
    off = 0
    if len(text) > _SHOW:
        off = max(0, min(a - _SHOW // 3, len(text) - _SHOW))
        text = text[off : off + _SHOW]
        a, b = a - off, max(a - off, min(b - off, len(text)))
    text = "".join(c if c.isprintable() else "?" for c in text)
    if end_note is not None:
        marks = " " * a + "^" + " " * max(0, b - a - 1) + "^ " + end_note
    else:
        marks = " " * a + "^" * max(1, b - a)
    return ["  " + text, "  " + marks]
