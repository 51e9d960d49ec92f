"""The chain-rule table, as the lecture slides lay it out, as a rich renderable.

Arrays: a 'shape' column appears when any node is an array; values and gradients
print compactly (matrix rows aligned, long axes elided with a count).  For array
gates the 'local' column shows the rule that turns the upstream g into each
downstream (the vector-Jacobian product, e.g. 'W: g @ xᵀ'): the Jacobian itself is
never built.  ``--jacobian`` adds the explicit local Jacobians under the table.

The table is drawn exactly as rich's ``Table`` draws it (same widths, borders, wrapping
and styles: :func:`build_table` is that Table, and the tests compare the two), but in
time linear in its rows: rich's Table renders every cell through its general machinery
and holds the whole table until it is done, which takes minutes for 40,000 rows.
:class:`ChainTable` measures each column once from the cells' texts (rich's width
rules, below), writes a one-line cell that fits its column as plain text, and hands
rich only the cells that need it (several lines, wrapping, markup-like text, styled
rows).  :func:`print_result` prints it in chunks of rows, so a large table streams.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from ..display import DEFAULT_PRECISION, fmt
from ..result import Result
from . import chain

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, Group, JustifyMethod, RenderResult
    from rich.segment import Segment
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

# every cell's text, in this order; the table shows HEADERS or ARRAY_HEADERS of them
KEYS = chain.COLUMNS[:3] + ("shape",) + chain.COLUMNS[3:]
ARRAY_HEADERS = KEYS
HEADERS = chain.COLUMNS
# the narrow layout: one row per edge (see chain.edge_cells)
EDGE_KEYS = chain.EDGE_COLUMNS[:2] + ("shape",) + chain.EDGE_COLUMNS[2:]
_SHAPE_AT: int | None = EDGE_KEYS.index("shape")
EDGE_WRAP = ("gate", "upstream", "local")  # text that may break between items (sums, VJP rules)
# the lecture's colours: forward values green, gradients red (plain ANSI, for light and dark)
COLOURS = {"value": "green", "upstream": "red", "downstream": "red"}
# roles abbreviated, with a legend, when even the narrow layout does not fit
SHORT_ROLES = {"distributor": "D", "router": "R", "switcher": "S", "scaler": "C", "function": "F"}
CHUNK = 200  # rows printed at a time
STREAM_ROWS = 5000  # a table with more rows is laid out from its first SAMPLE_ROWS and streamed
SAMPLE_ROWS = 1000
# rich replaces :name: with an emoji and reads [style] as markup: such text goes through rich
_EMOJI_LIKE = re.compile(r":\S*:")
# cells joined by \x1f, all printable ASCII without ':' and '[' (what _plain would check per cell)
_SIMPLE_ROW = re.compile(r"[ -9;-Z\\\]-~\x1f]*").fullmatch
_WORD = re.compile(r"\s*\S+\s*")  # rich._wrap.re_word
_ONE_LINE_WORDS = re.compile(r"[^\s]+(?: [^\s]+)*").fullmatch  # words split by single spaces


def _block(text: str) -> str | Text:
    """A multi-line number (a matrix) as a left-aligned block, even in a right-aligned
    column: its rows then keep their columns lined up."""
    if "\n" not in text:
        return text
    from rich.text import Text

    return Text(text, justify="left")


def _justify(h: str) -> str:
    return "right" if h in chain.NUMERIC else "left"


def _no_wrap(h: str, layout: str = "node") -> bool:
    if layout == "edge":
        return h not in EDGE_WRAP
    return h in ("node", "gate", "shape")


def _max_width(h: str, arrays: bool) -> int | None:
    # with arrays the VJP rules in 'local' wrap, leaving the width to the numbers
    return 24 if arrays and h == "local" else None


def _renderable(h: str, text: str, flagged: bool, layout: str = "node") -> str | Text:
    """What a cell holds: its text, a block for a matrix, the role yellow when flagged."""
    if h in ("value", "upstream") or (layout == "edge" and h in ("local", "downstream")):
        return _block(text)
    if h == "role":
        from rich.text import Text

        return Text(text, style="yellow" if flagged else "")
    return text


def _messages(lang: str) -> Any:
    from ..i18n import Messages

    return Messages(lang)


def _cells(r: chain.Row, precision: int, m: Any = None) -> tuple[str, ...]:
    c = chain.cells(r, precision, m, block=True)
    return tuple(c[k] for k in KEYS)


def _localized(m: Any) -> Any:
    """The Messages the cells are written with: none in English (ops and roles by their names)."""
    return None if m.lang == "en" else m


def build_table(result: Result, precision: int = DEFAULT_PRECISION, lang: str = "en") -> Table:
    """The table as a rich ``Table``: what :class:`ChainTable` draws when the full table fits,
    but minutes for tens of thousands of rows, all held until the end; the reference the tests
    compare against."""
    from rich.table import Table

    m = _messages(lang)
    rows = chain.rows(result)
    arrays = chain.has_arrays(rows)
    headers = ARRAY_HEADERS if arrays else HEADERS
    table = Table(title=_title(result), title_justify="center", header_style="bold")
    for h in headers:
        table.add_column(
            m("col." + h),
            justify=cast("JustifyMethod", _justify(h)),
            no_wrap=_no_wrap(h),
            max_width=_max_width(h, arrays),
            style=COLOURS.get(h),
        )
    for r in rows:
        c = dict(zip(KEYS, _cells(r, precision, _localized(m))))
        table.add_row(
            *(_renderable(h, c[h], bool(r.flags)) for h in headers), style="bold" if r.output else None
        )
    return table


def _no_gc() -> Any:
    """The table is many small acyclic objects: the cyclic collector would walk the whole
    heap again and again while they are made (as the engine, it pauses)."""
    from ..engine import gc_paused

    return gc_paused()


def _plain(text: str) -> bool:
    """Text rich draws as it is: one printable line, nothing it reads as markup or an emoji."""
    return text.isprintable() and "[" not in text and (":" not in text or _EMOJI_LIKE.search(text) is None)


# characters one cell wide that never combine with their neighbours: text of ASCII and these
# is as many cells wide as it has characters (source texts cut short end with '…')
_NARROW = frozenset(chr(c) for c in range(32, 127)) | frozenset("…×·−∂ᵀ")


def _narrow(text: str) -> bool:
    return text.isascii() or _NARROW.issuperset(text)


def _width(text: str) -> int:
    if text.isascii() or _NARROW.issuperset(text):  # one cell a character (a set test in C)
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _wrap(text: str, room: int, justify: str, overflow: str = "ellipsis", no_wrap: bool = False) -> list[str]:
    """The lines of one plain line of narrow text (see _narrow) ``room`` cells wide, as rich's Text.wrap makes
    them: words wrap; a word longer than a line is folded (overflow "fold", rich's default) or
    cut with '…' ("ellipsis", a table column's default); justified "left" (padded), "right",
    "center" (padded) or "default" (as they are)."""
    if no_wrap:
        pieces = [text]
    else:
        # rich._wrap.divide_line(text, room, fold=overflow == "fold")
        breaks: list[int] = []
        offset = 0
        fold = overflow == "fold"
        words = text.split(" ")
        if "" not in words and max(map(len, words)) <= room and _ONE_LINE_WORDS(text):
            # words split by single spaces, none longer than a line: the same breaks, by lengths
            pos = 0
            for w in words:
                n = len(w)
                if room - offset >= n:
                    offset += n + 1
                else:
                    if offset and pos:
                        breaks.append(pos)
                    offset = n + 1
                pos += n + 1
            words = []
        for m in _WORD.finditer(text) if words else ():
            start, word = m.start(), m.group()
            length = len(word.rstrip())
            if room - offset >= length:
                offset += len(word)
            elif length > room:
                if fold:
                    chopped = [word[i : i + room] for i in range(0, len(word), room)]
                    for piece in chopped[:-1]:
                        if start:
                            breaks.append(start)
                        start += len(piece)
                    if start:
                        breaks.append(start)
                    offset = len(chopped[-1])
                else:
                    if start:
                        breaks.append(start)
                    offset = len(word)
            elif offset and start:
                breaks.append(start)
                offset = len(word)
        pieces = [text[i:j] for i, j in zip([0, *breaks], [*breaks, len(text)])]
        for n, piece in enumerate(pieces):  # Text.rstrip_end(room)
            if len(piece) > room:
                blanks = len(piece) - len(piece.rstrip())
                if blanks:
                    pieces[n] = piece[: len(piece) - min(blanks, len(piece) - room)]

    def cut(line: str) -> str:  # Text.truncate(room, overflow)
        if len(line) <= room:
            return line
        return line[: room - 1] + "…" if overflow == "ellipsis" else line[:room]

    lines = []
    for piece in pieces:
        if justify == "left":
            line = cut(piece)
            lines.append(line + " " * (room - len(piece)) if len(piece) < room else line)
        elif justify == "right":
            line = cut(piece.rstrip())
            lines.append(" " * (room - len(line)) + line)
        elif justify == "center":
            line = cut(piece.rstrip())
            left = (room - len(line)) // 2
            lines.append(" " * left + line + " " * (room - len(line) - left))
        else:
            lines.append(cut(piece))
    return lines


# Wrapped cells, by (text, width, right-justified, no-wrap): a big table repeats many cells
# (the inputs "x3, y17", small numbers).  Callers never change the lists.
_WRAPPED: dict[tuple[str, int, bool, bool], list[str]] = {}
_WRAPPED_MAX = 50_000  # (cleared for each table drawn)


def _cell_lines(text: str, room: int, right: bool, no_wrap: bool) -> list[str] | None:
    """A cell's lines as rich draws them (padding included), or None when rich must draw it."""
    if room < 1 or not _plain(text):
        return None
    if _narrow(text):
        n = len(text)
        if n <= room and not (right and text.endswith(" ")):
            return [" " + (" " * (room - n) + text if right else text + " " * (room - n)) + " "]
        key = (text, room, right, no_wrap)
        lines = _WRAPPED.get(key)
        if lines is None:
            lines = [
                " " + line + " " for line in _wrap(text, room, "right" if right else "left", no_wrap=no_wrap)
            ]
            if len(_WRAPPED) < _WRAPPED_MAX:
                _WRAPPED[key] = lines
        return lines
    if right and text != text.rstrip():
        return None
    n = _width(text)
    if n > room:
        return None
    return [" " + (" " * (room - n) + text if right else text + " " * (room - n)) + " "]


def _plain_row(row: tuple[str, ...], columns: list[tuple[int, int, bool, bool]]) -> list[list[str] | None]:
    """Every cell's lines (see _cell_lines) of a row whose cells are all plain text."""
    out: list[list[str] | None] = []
    for k, room, right, no_wrap in columns:
        text = row[k]
        n = len(text)
        if 0 < room and n <= room and text.isascii() and not (right and text.endswith(" ")):
            out.append([" " + (" " * (room - n) + text if right else text + " " * (room - n)) + " "])
        else:
            out.append(_cell_lines(text, room, right, no_wrap))
    return out


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich._ratio.ratio_reduce (rich's Table shrinks columns with it)."""
    ratios = [ratio if _max else 0 for ratio, _max in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    total_remaining = total
    result: list[int] = []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * total_remaining / total_ratio))
            result.append(value - distributed)
            total_remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _collapse_widths(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """rich's Table._collapse_widths: shrink the widest wrapable columns first."""
    total_width = sum(widths)
    excess_width = total_width - max_width
    if any(wrapable):
        while total_width and excess_width > 0:
            max_column = max(width for width, allow_wrap in zip(widths, wrapable) if allow_wrap)
            second_max_column = max(
                width if allow_wrap and width != max_column else 0
                for width, allow_wrap in zip(widths, wrapable)
            )
            column_difference = max_column - second_max_column
            ratios = [
                (1 if (width == max_column and allow_wrap) else 0)
                for width, allow_wrap in zip(widths, wrapable)
            ]
            if not any(ratios) or not column_difference:
                break
            max_reduce = [min(excess_width, column_difference)] * len(widths)
            widths = _ratio_reduce(excess_width, ratios, max_reduce, widths)
            total_width = sum(widths)
            excess_width = total_width - max_width
    return widths


def _column_width(raw: int, space: int, max_width: int | None) -> int:
    """A column's width as rich measures it in ``space`` cells: its widest line (``raw``)
    plus the padding of one cell each side, at most ``space`` and ``max_width`` plus padding."""
    if space < 1:
        return 0
    width = space if space < 3 else min(raw + 2, space)
    return width if max_width is None else min(width, max_width + 2)


class ChainTable:
    """The chain-rule table of a Result, drawn as :func:`build_table` would be (the "node"
    layout), or one row per edge (the "edge" layout, for a narrow terminal: see
    :func:`chain.edge_cells`), its roles by their own short names (``short_roles`` 1) or
    abbreviated to a letter with a legend (2)."""

    def __init__(
        self,
        result: Result,
        precision: int = DEFAULT_PRECISION,
        lang: str = "en",
        layout: str = "node",
        short_roles: int = 0,
    ) -> None:
        self.result = result
        self.lang = lang
        self.layout = layout
        self.short_roles = short_roles
        self.m = _messages(lang)
        self.title = _title(result)
        self.width: int | None = None  # the table's width, once laid out
        self.precision = precision
        outline = result.outline()
        self.total = len(result.nodes) - len(outline.constants)  # rows: every node but the constants
        arrays = outline.arrays
        self.arrays = arrays
        stream = self.total > STREAM_ROWS
        if layout == "edge":
            self.total = sys.maxsize  # rows: one per edge, counted as they are made (_take)
            self.keys = EDGE_KEYS
            self.headers = EDGE_KEYS if arrays else tuple(k for k in EDGE_KEYS if k != "shape")
        else:
            self.keys = KEYS
            self.headers = ARRAY_HEADERS if arrays else HEADERS
        self.labels = [self.m("col." + h) for h in self.headers]
        self.index = [self.keys.index(h) for h in self.headers]
        numeric = chain.NUMERIC + (
            (("downstream",) if arrays else ("local", "downstream")) if layout == "edge" else ()
        )
        self.right = [h in numeric for h in self.headers]
        self.no_wrap = [_no_wrap(h, layout) for h in self.headers]
        self.max_width = [None if layout == "edge" else _max_width(h, arrays) for h in self.headers]
        self.colours = [COLOURS.get(h) for h in self.headers]
        # the widest line of each column among the plain cells; rows with other cells
        self.raw = [_width(h) for h in self.labels]
        self.cells: list[tuple[str, ...]] = []
        self.styled: list[int] = []  # 0 plain, 1 flagged role (yellow), 2 the output row (bold)
        self.measure_rows: list[int] = []
        self.plain_row: list[bool] = []
        self.roles_used: set[str] = set()
        self._rows = chain.iter_rows(result)
        if stream:
            # A large table is laid out from its first rows, and streamed: a later cell wider
            # than its column wraps in it.  The columns that never wrap (node, gate) and the
            # numbers get the widest text they can hold, known without the rows.
            self._take(SAMPLE_ROWS)
            numbers = result._numbers
            for j, h in enumerate(self.headers):
                floor = {"node": outline.id_width, "gate": outline.gate_width}.get(h, 0)
                if h == "input":
                    floor = outline.id_width
                if h in chain.NUMERIC and not arrays:
                    column = None if numbers is None else numbers[0 if h == "value" else 1]
                    floor = _widest_number(precision, column)
                elif h in ("local", "downstream") and layout == "edge" and not arrays:
                    floor = _widest_number(precision)
                self.raw[j] = max(self.raw[j], floor)
        else:
            self._take(self.total)

    def _make(self, r: chain.Row) -> list[tuple[tuple[str, ...], int]]:
        """A row's cells and style (see ``styled``): one, or one per edge."""
        m = _localized(self.m)
        if self.layout == "node":
            return [(_cells(r, self.precision, m), 2 if r.output else 1 if r.flags else 0)]
        role = None
        if self.short_roles and r.role:
            if self.short_roles == 1:  # the role's own name ('distributor', as English names it)
                role = r.role
            else:
                self.roles_used.add(r.role)
                role = SHORT_ROLES.get(r.role, r.role)
            if r.flags:
                role += " ⚠ " + ", ".join(r.flags)
        out = []
        for k, c in enumerate(chain.edge_cells(r, self.precision, m, role)):
            style = 2 if r.output else (1 if r.flags and k == 0 else 0)
            get = c.get
            cells = [get(key, "") for key in EDGE_KEYS]
            if k and _SHAPE_AT is not None:
                cells[_SHAPE_AT] = ""  # the shape once, on the node's first line
            out.append((tuple(cells), style))
        return out

    def _take(self, upto: int) -> None:
        """Make the rows' cells up to row ``upto`` (measuring their plain cells)."""
        cells, styled, raw, index = self.cells, self.styled, self.raw, self.index
        with _no_gc():
            while len(cells) < upto:
                r = next(self._rows, None)
                if r is None:
                    self.total = len(cells)
                    break
                for row, style in self._make(r):
                    cells.append(row)
                    styled.append(style)
                    if _SIMPLE_ROW("\x1f".join(row)):  # the common case: every cell plain ASCII
                        if self.width is None:
                            for j, k in enumerate(index):
                                w = len(row[k])
                                if w > raw[j]:
                                    raw[j] = w
                        self.plain_row.append(style == 0)
                        continue
                    other = False
                    for j, k in enumerate(index):
                        text = row[k]
                        if (
                            text.isascii()
                            and text.isprintable()
                            and "[" not in text
                            and (":" not in text or _EMOJI_LIKE.search(text) is None)
                        ):
                            w = len(text)  # the common case of _plain, inline
                        elif _plain(text):
                            w = _width(text)
                        else:
                            other = True
                            continue
                        if w > raw[j] and self.width is None:
                            raw[j] = w
                    if other:
                        self.measure_rows.append(len(cells) - 1)
                    self.plain_row.append(not other and style == 0)

    def __len__(self) -> int:
        return self.total

    def renderable(self, i: int, j: int) -> str | Text:
        return _renderable(self.headers[j], self.cells[i][self.index[j]], self.styled[i] == 1, self.layout)

    def natural_width(self, console: Console, options: ConsoleOptions) -> int:
        """The table's width when no column is narrowed (nothing wraps)."""
        raw = self._measure(console, options)
        return sum(_column_width(r, 1 << 30, m) for r, m in zip(raw, self.max_width)) + len(self.headers) + 1

    def least_widths(self, console: Console, options: ConsoleOptions) -> list[int]:
        """Each column's narrowest width that cuts no number: a column that may wrap breaks
        only between items (the terms of a branch sum, the words of a rule), a matrix never."""
        raw = self._measure(console, options)
        least = []
        for j, h in enumerate(self.headers):
            if not (self.layout == "edge" and h in EDGE_WRAP):
                least.append(raw[j] + 2)
                continue
            k = self.index[j]
            widest = _width(self.labels[j])
            for row in self.cells:
                text = row[k]
                if "\n" in text or text.startswith("["):
                    w = max(_width(line) for line in text.split("\n"))
                else:
                    w = max((_width(word) for word in text.split(" ")), default=0)
                widest = max(widest, w)
            least.append(widest + 2)
        return least

    def fit_widths(self, console: Console, options: ConsoleOptions) -> list[int] | None:
        """Column widths within the console that cut no number (the columns that may wrap
        narrowed, the widest first), or None when there are none."""
        space = options.max_width - len(self.headers) - 1
        raw = self._measure(console, options)
        widths = [_column_width(r, 1 << 30, m) for r, m in zip(raw, self.max_width)]
        least = self.least_widths(console, options)
        if sum(least) > space:
            return None
        while sum(widths) > space:
            j = max(range(len(widths)), key=lambda j: widths[j] - least[j])
            widths[j] -= min(widths[j] - least[j], sum(widths) - space)
        return widths

    # --- layout: rich's Table._calculate_column_widths over the measured widths ----------

    def _measure(self, console: Console, options: ConsoleOptions) -> list[int]:
        """The widest line of each column, the cells rich must measure included."""
        from rich.measure import Measurement

        raw = list(self.raw)
        wide = options.update_width(1 << 30)
        for i in self.measure_rows:
            for j, k in enumerate(self.index):
                if not _plain(self.cells[i][k]):
                    w = Measurement.get(console, wide, self.renderable(i, j)).maximum
                    if w > raw[j]:
                        raw[j] = w
        return raw

    def _widths(self, raw: list[int], table_space: int) -> list[int]:
        space = max(0, table_space)
        widths = [_column_width(r, space, m) or 1 for r, m in zip(raw, self.max_width)]
        if sum(widths) > space:
            widths = _collapse_widths(widths, [not n for n in self.no_wrap], space)
            if sum(widths) > space:
                widths = _ratio_reduce(sum(widths) - space, [1] * len(widths), widths, widths)
            widths = [_column_width(r, max(0, w), m) or 0 for r, w, m in zip(raw, widths, self.max_width)]
        return widths

    # --- drawing ------------------------------------------------------------------------

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for block in self.blocks(console, options):
            yield from block

    def blocks(self, console: Console, options: ConsoleOptions) -> Iterator[list[Segment]]:
        """The table's segments: the title and header, then CHUNK rows at a time, then the
        bottom border."""
        from rich import box
        from rich.padding import Padding
        from rich.segment import Segment
        from rich.style import Style

        _WRAPPED.clear()
        with _no_gc():
            extra = len(self.headers) + 1  # the borders: both edges and a divider between columns
            fitted = self.fit_widths(console, options) if self.layout == "edge" else None
            widths = fitted or self._widths(self._measure(console, options), options.max_width - extra)
        table_width = sum(widths) + extra
        self.width = table_width
        render_options = options.update(width=table_width, highlight=False, height=None)
        column_options = [
            render_options.update(
                width=w,
                justify=cast("JustifyMethod", "right" if right else "left"),
                no_wrap=no_wrap,
                overflow="ellipsis",  # rich.table.Column's default
                height=None,
                highlight=False,
            )
            for w, right, no_wrap in zip(widths, self.right, self.no_wrap)
        ]
        _box = box.HEAVY_HEAD.substitute(render_options, safe=console.safe_box)
        new_line = Segment.line()
        border = Style.null()

        def row_segments(
            renderables: list[Any],
            cell_styles: list[Style],
            row_style: Style,
            edges: tuple[str, str, str],
            header: bool,
        ) -> list[Segment]:
            """One row as rich's Table._render draws it; a cell given as a list is its lines
            (see _cell_lines), drawn as they are."""
            cells: list[list[list[Segment]]] = []
            for renderable, opts, cell_style in zip(renderables, column_options, cell_styles):
                if type(renderable) is list:
                    cells.append([[Segment(line)] for line in renderable])
                else:
                    style = cell_style + row_style
                    cells.append(console.render_lines(Padding(renderable, (0, 1, 0, 1)), opts, style=style))
            row_height = max(len(cell) for cell in cells)
            height = max(1, row_height)  # rich draws a row of empty cells as one line
            align = Segment.align_bottom if header else Segment.align_top
            shaped = [
                Segment.set_shape(align(cell, w, row_height, cell_style + row_style), w, height)
                for w, cell, cell_style in zip(widths, cells, cell_styles)
            ]
            left, right, divider = (Segment(e, border) for e in edges)
            out: list[Segment] = []
            for line_no in range(height):
                out.append(left)
                for j, cell in enumerate(shaped):
                    if j:
                        out.append(divider)
                    out.extend(cell[line_no])
                out.append(right)
                out.append(new_line)
            return out

        # the title, the top border, the header and the line under it
        head: list[Segment] = []
        if self.title and _narrow(self.title) and _plain(self.title) and table_width >= 1:
            style = console.get_style("table.title")
            for line in _wrap(self.title, table_width, "center", "fold"):
                head += [Segment(line, style), new_line]
        elif self.title:
            title = console.render_str(self.title, style="table.title", highlight=False)
            head.extend(console.render(title, options=render_options.update(justify="center")))
        head += [Segment(_box.get_top(widths), border), new_line]
        header_style = console.get_style("bold") + console.get_style("")
        head_edges = (_box.head_left, _box.head_right, _box.head_vertical)
        head += row_segments(
            list(self.labels), [header_style] * len(widths), Style.null(), head_edges, header=True
        )
        head += [Segment(_box.get_row(widths, "head", edge=True), border), new_line]
        yield head

        mid = (_box.mid_left, _box.mid_right, _box.mid_vertical)
        foot = (_box.foot_left, _box.foot_right, _box.foot_vertical)
        rooms = [w - 2 for w in widths]  # a cell's text between its padding
        blanks = [" " * w for w in widths]
        bold = console.get_style("bold")
        null = Style.null()
        cell_styles = [console.get_style(c or "") for c in self.colours]
        # in colour, the coloured columns' cells are drawn by rich (as rich's Table draws them)
        coloured = [j for j, c in enumerate(self.colours) if c] if console.color_system is not None else []
        columns = list(zip(self.index, rooms, self.right, self.no_wrap))
        role = self.headers.index("role")
        lines: list[list[str] | None]
        start = -CHUNK
        while start + CHUNK < self.total:
            start += CHUNK
            out: list[Segment] = []
            self._take(start + CHUNK + 1)  # a streamed table's next rows (one more: is this the last?)
            n = self.total
            with _no_gc():
                for i in range(start, min(start + CHUNK, n)):
                    row = self.cells[i]
                    edges = foot if i == n - 1 else mid
                    styled = self.styled[i]
                    if self.plain_row[i]:
                        lines = _plain_row(row, columns)
                    elif styled == 2:  # the output row is bold: rich draws it
                        lines = [None] * len(columns)
                    else:
                        lines = [_cell_lines(row[k], room, right, nw) for k, room, right, nw in columns]
                        if styled == 1:  # a flagged role is yellow
                            lines[role] = None
                    for j in coloured:
                        lines[j] = None
                    if styled == 0 and None not in lines:
                        done = cast("list[list[str]]", lines)
                        height = max(len(c) for c in done)
                        left, right_edge, divider = edges
                        if height == 1:
                            out.append(Segment(left + divider.join([c[0] for c in done]) + right_edge))
                            out.append(new_line)
                        else:
                            for line_no in range(height):
                                parts = [c[line_no] if line_no < len(c) else b for c, b in zip(done, blanks)]
                                out.append(Segment(left + divider.join(parts) + right_edge))
                                out.append(new_line)
                        continue
                    renderables = [self.renderable(i, j) if c is None else c for j, c in enumerate(lines)]
                    row_style = bold if styled == 2 else null
                    out += row_segments(renderables, cell_styles, row_style, edges, header=False)
            yield out
        yield [Segment(_box.get_bottom(widths), border), new_line]


def _widest_number(precision: int, values: list[Any] | None = None) -> int:
    """How wide the numbers of a column are written at this precision: those of the largest
    and the smallest magnitude, negative, with the widest mantissa (without the column's
    values, the widest any float can be: -1.235e-300)."""
    if values is None:
        probes = [1.2345678901234567e-300, 1.2345678901234567e300, 0.00012345678901]
    else:
        mags = [abs(v) for v in values if type(v) is float and math.isfinite(v)]
        tiny = [m for m in mags if m]
        probes = [_digits(max(mags, default=1.0)), _digits(min(tiny, default=1.0))]
    return max(len(fmt(-v, precision)) for v in probes)


def _digits(m: float) -> float:
    """A number of m's magnitude with the widest mantissa (1.2345678...)."""
    if m == 0:
        return 0.0
    return 1.2345678901234567 * 10.0 ** math.floor(math.log10(m))


TITLE_MAX = 240  # characters of the expression in a title; a longer one is elided in the middle


def _title(result: Result) -> str:
    src = result.expression.strip()
    if len(src) > TITLE_MAX:
        half = TITLE_MAX // 2
        src = src[:half] + " … " + src[-half:]
    if "\n" in src or ";" in src or "=" in src:
        return src.replace("\n", "; ")
    return f"{result.output} = {src}"


def legend(result: Result) -> list[str]:
    """Generated names mapped back to the source text they stand for."""
    lines = []
    for n in result.nodes:
        if n.op in ("input", "const") or n.id == result.output:
            continue
        if n.id.startswith("n") and n.id[1:].isdigit():
            same = n.formula.replace(" ", "") == n.text.replace(" ", "")
            lines.append(f"{n.id} = {n.text}" + ("" if same else f"  ({n.formula})"))
    return lines


def _hanging(prefix: str, text: str) -> str:
    return prefix + text.replace("\n", "\n" + " " * len(prefix))


def summary_parts(result: Result, precision: int = DEFAULT_PRECISION) -> list[str]:
    """The output's value and each gradient, as 'f = -12', '∂f/∂x = -4' (an array on several lines)."""
    parts = [_hanging(f"{result.output} = ", fmt(result.value, precision))]
    for name, g in result.gradients.items():
        parts.append(_hanging(f"∂{result.output}/∂{name} = ", fmt(g, precision)))
    return parts


def summary(result: Result, precision: int = DEFAULT_PRECISION) -> str:
    parts = summary_parts(result, precision)
    if any("\n" in part for part in parts) or any(type(g) is not float for g in result.gradients.values()):
        return "\n".join(parts)
    return "    ".join(parts)


def wrap_items(
    items: list[str], width: int, sep: str = "    ", prefix: str = "", indent: int = 0
) -> list[str]:
    """Items on lines at most ``width`` cells wide, broken only between items (an item wider
    than a line has a line of its own); continuation lines are indented ``indent`` cells."""
    lines: list[str] = []
    line, used = prefix, _width(prefix)
    first = True
    gap = len(sep)
    pad = " " * indent
    for item in items:
        w = _width(item)
        if first:
            line, used, first = line + item, used + w, False
        elif used + gap + w <= width:
            line, used = line + sep + item, used + gap + w
        else:
            lines.append(line)
            line, used = pad + item, indent + w
    if not first or prefix:
        lines.append(line)
    if any(_width(line) > width for line in lines) and width > indent + 1:
        folded = []  # an item wider than a line (a long definition) is folded as rich folds it
        room = width - indent
        for line in lines:
            if len(line) > width and _narrow(line):
                folded.append(line[:width])
                folded += [pad + line[i : i + room] for i in range(width, len(line), room)]
            else:
                folded.append(line)
        lines = folded
    return lines


class Lines:
    """A line of items (the summary, the ``where`` line) that breaks only between items, at
    the width it is drawn in."""

    def __init__(
        self, items: list[str], style: str = "", sep: str = "    ", prefix: str = "", hang: bool = False
    ):
        self.items, self.style, self.sep, self.prefix, self.hang = items, style, sep, prefix, hang

    def lines(self, width: int) -> list[str]:
        indent = _width(self.prefix)
        if self.hang and self.items and not self.prefix:
            first = _width(self.items[0]) + len(self.sep)
            indent = first if first <= width // 3 else 0
        return wrap_items(self.items, width, self.sep, self.prefix, indent)

    @property
    def plain(self) -> str:
        return self.prefix + self.sep.join(self.items)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        yield Text("\n".join(self.lines(options.max_width)), style=self.style)


def jacobian_lines(result: Result, precision: int = DEFAULT_PRECISION) -> list[str]:
    """The explicit local Jacobians (with --jacobian): rows are the gate's output elements,
    columns the input's elements, both in row-major order."""
    lines: list[str] = []
    for n in result.nodes:
        for jac in n.jacobian or []:
            rows, cols = jac["shape"]
            head = f"∂{n.id}/∂{jac['input']} ({rows}×{cols})"
            if jac["value"] is None:
                lines.append(f"{head}: not shown: {jac['omitted']}")
            else:
                lines.append(_hanging(head + " = ", fmt(_as_matrix(jac["value"]), precision)))
    return lines


def _as_matrix(v: Any) -> Any:
    import numpy as np

    return np.asarray(v, dtype=float).reshape(np.shape(v))


def roles_legend(table: ChainTable | None) -> Lines | None:
    """What the abbreviated roles of a table stand for (after the table), if it has any."""
    if table is None or not table.roles_used:
        return None
    m = table.m
    named = [
        f"{short} = {m.role_name(role)}" for role, short in SHORT_ROLES.items() if role in table.roles_used
    ]
    return Lines(named, style="dim", sep=", ", prefix=m("table.roles") + " ")


def extras(result: Result, precision: int = DEFAULT_PRECISION, lang: str = "en") -> Iterator[Text | Lines]:
    """What follows the table: the legend, the summary, the Jacobians and the notes."""
    from rich.text import Text

    m = _messages(lang)
    leg = legend(result)
    if leg:
        yield Lines(leg, style="dim", sep=";  ", prefix=m("table.where") + " ")
    parts = summary_parts(result, precision)
    if any("\n" in part for part in parts) or any(type(g) is not float for g in result.gradients.values()):
        yield Text("\n".join(parts), style="bold")
    else:
        yield Lines(parts, style="bold", hang=True)
    jac = jacobian_lines(result, precision)
    if jac:
        yield Text(m("table.jacobians"), style="bold")
        yield from (Text(line) for line in jac)
    for note in result.notes:
        yield Text(m("table.note", note=note), style="yellow")


def choose(
    result: Result, precision: int, lang: str, console: Console, options: ConsoleOptions
) -> ChainTable | None:
    """The layout that cuts no number at this width: the full table when it fits, else one
    row per edge, else that with abbreviated roles; None: one block per node (NodeBlocks)."""
    table = ChainTable(result, precision, lang)
    if table.natural_width(console, options) <= options.max_width:
        return table
    for short in (0, 1, 2):
        if short == 1 and lang == "en":  # English roles are their own names already
            continue
        edge = ChainTable(result, precision, lang, "edge", short)
        if edge.fit_widths(console, options) is not None:
            return edge
        if not edge.arrays and not any(r.role for r in chain.iter_rows(result)):
            break
    return None


class FitTable:
    """The table in the layout that fits where it is drawn (see :func:`choose`)."""

    def __init__(self, result: Result, precision: int = DEFAULT_PRECISION, lang: str = "en") -> None:
        self.result, self.precision, self.lang = result, precision, lang
        self.chosen: ChainTable | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        self.chosen = choose(self.result, self.precision, self.lang, console, options)
        if self.chosen is None:
            yield NodeBlocks(self.result, self.precision, self.lang)
        else:
            yield self.chosen
            roles = roles_legend(self.chosen)  # known once the rows are drawn
            if roles is not None:
                yield roles


class NodeBlocks:
    """The narrowest layout: one block per node, each line broken only between items, a
    matrix as a block of aligned rows."""

    def __init__(self, result: Result, precision: int = DEFAULT_PRECISION, lang: str = "en") -> None:
        self.result, self.precision, self.m = result, precision, _messages(lang)

    def lines(self, width: int) -> Iterator[tuple[str, str]]:
        """(text, style) lines."""
        m, p = self.m, self.precision
        loc = _localized(m)
        yield _title(self.result), "table.title"

        def labelled(label: str, text: str) -> str:
            return _hanging(f"{m('col.' + label)} ", text)

        for r in chain.iter_rows(self.result):
            c = chain.cells(r, p, loc, block=True)
            head = [r.node]
            if r.op != "input":
                op = r.op if loc is None else loc.op_name(r.op)
                head[0] += f" = {op}({c['inputs']})"
                if r.expanded_from:
                    head.append(f"({r.expanded_from if loc is None else loc.op_name(r.expanded_from)})")
            if c["role"]:
                head.append(c["role"])
            yield "  ".join(head), "bold"
            first = [labelled("value", c["value"]), labelled("upstream", c["upstream"])]
            yield from self._items(first, width, "  ")
            for e in chain.edge_cells(r, p, loc):
                if not e["input"]:
                    continue
                items = [
                    e["input"] + ": " + labelled("local", e["local"]),
                    labelled("downstream", e["downstream"]),
                ]
                yield from self._items(items, width, "    ")

    def _items(self, items: list[str], width: int, indent: str) -> Iterator[tuple[str, str]]:
        if any("\n" in item for item in items):  # matrices: one item a line, rows aligned
            for item in items:
                for line in item.split("\n"):
                    yield indent + line, ""
            return
        for line in wrap_items(items, width - len(indent), "   ", indent=0):
            yield indent + line, ""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        m = self.m
        numbers = [
            (re.escape(m("col." + h)) + r" (\S+)", COLOURS[h]) for h in ("value", "upstream", "downstream")
        ]
        for text, style in self.lines(options.max_width):
            line = Text(text, style=style)
            for pattern, colour in numbers:  # the lecture's colours on the numbers
                for found in re.finditer(pattern, text):
                    line.stylize(colour, found.start(1), found.end(1))
            yield line


def render(result: Result, precision: int = DEFAULT_PRECISION, lang: str = "en") -> Group:
    """The table and what follows it, as one renderable (printed at once)."""
    from rich.console import Group

    return Group(FitTable(result, precision, lang), *extras(result, precision, lang))


def print_result(
    console: Console, result: Result, precision: int = DEFAULT_PRECISION, lang: str = "en"
) -> None:
    """Print what :func:`render` renders, the table's rows in chunks as they are drawn."""
    table = choose(result, precision, lang, console, console.options)
    if table is None:
        console.print(NodeBlocks(result, precision, lang))
    else:
        print_table(console, table)
    roles = roles_legend(table)
    if roles is not None:
        print_text(console, roles)
    for item in extras(result, precision, lang):
        print_text(console, item)


def print_text(console: Console, text: Text | Lines, chunk: int = 1000) -> None:
    """``console.print(text)``; a long line of plain narrow text (the legend of a large table)
    is wrapped here as rich wraps it, and printed ``chunk`` lines at a time."""
    from rich.segment import Segment, Segments
    from rich.text import Text

    if isinstance(text, Lines):
        if len(text.items) < 200:
            console.print(text)
            return
        style = console.get_style(text.style)
        lines = text.lines(console.width)
        if console.color_system is None and not console.record and not console.is_jupyter:
            for start in range(0, len(lines), chunk):
                console.file.write("".join([line + "\n" for line in lines[start : start + chunk]]))
            console.file.flush()
            return
        for start in range(0, len(lines), chunk):
            console.print(Text("\n".join(lines[start : start + chunk]), style=style))
        return
    plain = text.plain
    if (
        len(plain) < 2000
        or not (plain.isprintable() and _narrow(plain))
        or text.spans
        or text.justify is not None
        or text.overflow is not None
        or text.no_wrap is not None
        or console.soft_wrap
        or console.width < 1
    ):
        console.print(text)
        return
    style = console.get_style(text.style)
    lines = _wrap(plain, console.width, "default", "fold")
    if console.color_system is None and not console.record and not console.is_jupyter:
        for start in range(0, len(lines), chunk):  # printable text, no colour: as it is
            console.file.write("".join([line + "\n" for line in lines[start : start + chunk]]))
        console.file.flush()
        return
    for start in range(0, len(lines), chunk):
        segments: list[Segment] = []
        for line in lines[start : start + chunk]:
            segments += [Segment(line, style), Segment.line()]
        console.print(Segments(segments), crop=False)  # no line is wider than the console


def print_table(console: Console, table: ChainTable) -> None:
    """Print a table a block at a time (each print reaches the terminal at once)."""
    from rich.segment import Segments

    blocks: list[Iterator[list[Segment]]] = []

    class First:
        # the first block is laid out with the options console.print gives a renderable
        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            blocks.append(table.blocks(console, options))
            yield from next(blocks[0])

    console.print(First())
    # every line is as wide as the table: when it fits the console, none needs cropping
    crop = table.width is None or table.width > console.width
    # Without colour (a pipe, NO_COLOR) a block is its text: write it as rich would, without
    # passing every segment through the console again.
    plain = console.color_system is None and not console.record and not console.is_jupyter and not crop
    for block in blocks[0]:
        if plain:
            console.file.write("".join([seg.text for seg in block]))
        else:
            console.print(Segments(block), crop=crop)
    if plain:
        console.file.flush()
