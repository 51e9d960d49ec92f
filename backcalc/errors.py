"""One error type for everything a user can get wrong: a message, a source span, an exit code."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    CHECK_FAILED = 1
    BAD_INPUT = 2
    INTERRUPTED = 130


class BackcalcError(Exception):
    """A problem with the user's input (or a limit it hit).

    ``span`` is a (start, end) character range into ``source``; when both are
    set, :meth:`render` draws the offending line with a caret under the span.
    ``end_note`` labels a second caret at ``span[1]`` (e.g. "expression ended here").
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        span: tuple[int, int] | None = None,
        hint: str | None = None,
        end_note: str | None = None,
        code: ExitCode = ExitCode.BAD_INPUT,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.span = span
        self.hint = hint
        self.end_note = end_note
        self.code = code

    def with_source(self, source: str) -> BackcalcError:
        if self.source is None:
            self.source = source
        return self

    def location(self) -> str:
        """'column 5' or 'line 2, column 5' for the span's start ('' without one)."""
        if self.source is None or self.span is None:
            return ""
        line, col = line_col(self.source, self.span[0])
        if "\n" in self.source:
            return f"line {line}, column {col}"
        return f"column {col}"

    def render(self) -> str:
        """The full text for stderr: 'error: ...', then the source line and carets."""
        lines = [f"error: {self.message}"]
        if self.source is not None and self.span is not None:
            lines.extend(caret_lines(self.source, self.span, self.end_note))
        if self.hint:
            lines.append(f"hint: {self.hint}")
        return "\n".join(lines)


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
