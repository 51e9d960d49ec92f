"""The cs231n notebooks' setup lines -> named values, read by our own grammar, never run as Python.

A student pastes the notebook's setup cell (``np.random.seed(231)``, ``x = np.random.randn(10, 2, 3)``,
``N, D = 4, 5``, ...) and :func:`read_setup` returns the values it defines, with the random draws
taken from numpy's legacy generator (``RandomState``, what ``np.random.seed`` seeds) in the order
written, so every array is bit for bit the notebook's.

The text is tokenized and parsed here; the only functions that can run are the ones in the closed
tables below (:data:`FUNCTIONS`, :data:`METHODS`), each with its accepted keyword arguments, and
every array's size is computed and checked against ``Limits.max_array_elements`` before it is
allocated.  Anything else is an error naming the line and the column.

Grammar (one statement a line; ``;`` also separates statements; inside brackets a line may go on)::

    line       := [ statement { ';' statement } ] [ '#' comment ]
    statement  := 'import' 'numpy' 'as' 'np'
                | targets '=' exprs                 N, D = 4, 5
                | call                              np.random.seed(231)
    targets    := NAME { ',' NAME } [ ',' ]
    exprs      := expr { ',' expr } [ ',' ]
    expr       := term { ('+' | '-') term }
    term       := unary { ('*' | '/' | '//' | '@') unary }
    unary      := ('-' | '+') unary | power
    power      := postfix [ '**' unary ]
    postfix    := atom { '.' NAME | '(' [ args ] ')' }
    args       := arg { ',' arg } [ ',' ];   arg := [ NAME '=' ] expr
    atom       := NUMBER | STRING | NAME | '(' exprs ')' | '[' [ exprs ] ']' | '{' [ items ] '}'
    items      := STRING ':' expr { ',' STRING ':' expr } [ ',' ]

A dotted name must be one of the accepted functions (``np.random.randn``); a method is called on
an array (``.reshape(2, 4)``, ``.T``).  Dictionaries (``config = {'learning_rate': 1e-3, 'velocity': v}``,
as the update-rule checks write them) become :attr:`Setup.configs`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import BackcalcError, Msg, line_col
from .limits import ARRAY_MAX_DIMS, LIMITS

# --- tokens ------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<space>[ \t\f\r]+|\\\r?\n)"
    r"|(?P<comment>\#[^\n]*)"
    r"|(?P<newline>\n)"
    r"|(?P<number>(?:[0-9](?:_?[0-9])*\.?(?:[0-9](?:_?[0-9])*)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[^\W\d]\w*)"
    r"|(?P<string>'[^'\\\n]*'|\"[^\"\\\n]*\")"
    r"|(?P<op>\*\*|//|[-+*/@=(),.\[\]{}:;])"
)
_OPEN = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class Token:
    kind: str  # number, name, string, op, newline, end
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """The tokens of the setup text; a newline inside brackets is not a token (the line goes on)."""
    out: list[Token] = []
    depth: list[Token] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        if m is None:
            ch = text[pos]
            shown = repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"
            raise _error(text, pos, pos + 1, Msg("setup.unexpected_char", char=shown))
        kind = m.lastgroup or ""
        s = m.group()
        if kind == "op":
            if s in _OPEN:
                depth.append(Token("op", s, pos, m.end()))
            elif s in ")]}":
                if not depth or _OPEN[depth[-1].text] != s:
                    raise _error(text, pos, m.end(), Msg("setup.closes_nothing", token=s))
                depth.pop()
        if kind in ("space", "comment") or (kind == "newline" and depth):
            pos = m.end()
            continue
        if kind == "name" and s.startswith("_"):
            raise _error(text, pos, m.end(), Msg("setup.underscore", name=s))
        out.append(Token(kind, s, pos, m.end()))
        pos = m.end()
    if depth:
        t = depth[-1]
        raise _error(text, t.start, t.end, Msg("setup.never_closed", token=t.text))
    out.append(Token("end", "", n, n))
    return out


def _error(text: str, start: int, end: int, message: str, hint: str | None = None) -> BackcalcError:
    line, col = line_col(text, start)
    return BackcalcError(
        Msg("setup.at", line=line, column=col, detail=message),
        source=text,
        span=(start, max(end, start + 1)),
        hint=hint,
    )


# --- the values a setup defines --------------------------------------------------------------


@dataclass
class Setup:
    """What the setup lines define: numbers and arrays (``values``), dictionaries (``configs``)."""

    values: dict[str, Any] = field(default_factory=dict)
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seeded: bool = False


class _Fn:
    """One accepted function: its positional parameters, keyword parameters and the code."""

    def __init__(
        self, name: str, params: tuple[str, ...], run: Any, required: int = 0, variadic: bool = False
    ) -> None:
        self.name = name
        self.params = params  # in positional order; every one may also be given by keyword
        self.run = run
        self.required = required
        self.variadic = variadic  # takes any number of positional arguments (randn's dimensions)


def _np() -> Any:
    import numpy as np

    return np


class _Call:
    """A call being evaluated: the reader, where it is, and its arguments by parameter name."""

    def __init__(
        self,
        reader: _Reader,
        fn: _Fn,
        tok: Token,
        args: dict[str, tuple[Any, Token]],
        positional: list[tuple[Any, Token]],
    ) -> None:
        self.reader = reader
        self.fn = fn
        self.tok = tok
        self.args = args
        self.reader_pos = positional  # the positional arguments of a variadic function

    def has(self, name: str) -> bool:
        return name in self.args

    def get(self, name: str, default: Any = None) -> Any:
        return self.args[name][0] if name in self.args else default

    def fail(self, message: str, name: str | None = None) -> BackcalcError:
        tok = self.args[name][1] if name is not None and name in self.args else self.tok
        return self.reader.err(tok, Msg("setup.in_call", fn=self.fn.name, detail=message))

    def integer(self, name: str, default: Any = None, minimum: int | None = None) -> Any:
        v = self.get(name, default)
        if v is None and not (name in self.args and name not in _NONE_OK):
            return None
        v = _as_int(v)
        if v is None:
            raise self.fail(Msg("setup.whole", name=name, got=_describe(self.get(name))), name)
        if minimum is not None and v < minimum:
            raise self.fail(Msg("setup.at_least", name=name, minimum=minimum, got=v), name)
        return v

    def number(self, name: str, default: Any = None) -> Any:
        v = self.get(name, default)
        if _is_number(v) and math.isfinite(v):
            return v
        raise self.fail(Msg("setup.number", name=name, got=_describe(v)), name)

    def shape(self, name: str, default: Any = None) -> tuple[int, ...] | None:
        """A size argument: a whole number or a tuple/list of them; None when absent."""
        v = self.get(name, default)
        if v is None:
            return None
        dims = v if isinstance(v, (tuple, list)) else (v,)
        out = []
        for d in dims:
            k = _as_int(d)
            if k is None or k < 0:
                raise self.fail(Msg("setup.dims", name=name, got=_describe(v)), name)
            out.append(k)
        return self.sized(tuple(out), name)

    def sized(self, shape: tuple[int, ...], name: str | None = None) -> tuple[int, ...]:
        """``shape`` if an array of it is allowed, checked before anything is allocated."""
        if len(shape) > ARRAY_MAX_DIMS:
            raise self.fail(Msg("setup.too_many_dims", n=len(shape), limit=ARRAY_MAX_DIMS), name)
        size = math.prod(shape)
        if size > LIMITS.max_array_elements:
            raise self.fail(
                Msg("setup.too_many_elements", size=size, limit=LIMITS.max_array_elements),
                name,
            )
        return shape


_NONE_OK = {"high", "size"}  # parameters that may be given as None (numpy's own default)


def _as_int(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    np = _np() if not isinstance(v, float) else None
    if np is not None and isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype.kind in "iu":
        return int(v)
    return None


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _describe(v: Any) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return Msg("setup.the_text", text=repr(v))
    if isinstance(v, tuple):
        items: Any = _describe(v[0]) if v else ""
        for part in [*(_describe(x) for x in v[1:4]), *(["..."] if len(v) > 4 else [])]:
            items = Msg("setup.comma", left=items, right=part)
        return Msg("setup.a_tuple", items=items)
    if isinstance(v, list):
        return Msg("setup.a_list")
    if isinstance(v, dict):
        return Msg("setup.a_dict")
    np = _np()
    if isinstance(v, np.ndarray):
        return Msg("setup.an_array", shape=tuple(v.shape))
    return type(v).__name__


# --- the accepted functions ------------------------------------------------------------------


def _seed(c: _Call) -> Any:
    s = c.integer("seed", minimum=0)
    if s is None or s > 2**32 - 1:
        raise c.fail("the seed must be a whole number from 0 to 2**32 - 1", "seed")
    c.reader.rng = _np().random.RandomState(s)
    c.reader.setup.seeded = True
    return None


def _dims(c: _Call) -> tuple[int, ...]:
    """randn(d0, d1, ...) / rand(...): the dimensions as separate arguments."""
    dims = []
    for i in range(len(c.reader_pos)):
        v, tok = c.reader_pos[i]
        k = _as_int(v)
        if k is None or k < 0:
            raise c.reader.err(
                tok,
                Msg(
                    "setup.in_call",
                    fn=c.fn.name,
                    detail=Msg("setup.dims", name=Msg("setup.dimensions"), got=_describe(v)),
                ),
            )
        dims.append(k)
    return c.sized(tuple(dims))


def _randn(c: _Call) -> Any:
    dims = _dims(c)
    rng = c.reader.random(c.tok)
    return float(rng.randn()) if not dims else rng.randn(*dims)


def _rand(c: _Call) -> Any:
    dims = _dims(c)
    rng = c.reader.random(c.tok)
    return float(rng.rand()) if not dims else rng.rand(*dims)


def _randint(c: _Call) -> Any:
    low = c.integer("low")
    high = c.integer("high")
    if low is None:
        raise c.fail("needs low (and optionally high): np.random.randint(10, size=50)")
    size = c.shape("size")
    lo, hi = (0, low) if high is None else (low, high)
    if hi <= lo:
        raise c.fail(Msg("setup.high_low", hi=hi, lo=lo), "high" if high is not None else "low")
    if abs(lo) > 2**62 or abs(hi) > 2**62:
        raise c.fail("the bounds must be within ±2**62", "low")
    rng = c.reader.random(c.tok)
    if size is None:
        return int(rng.randint(low, high))
    return rng.randint(low, high, size=size)


def _uniform(c: _Call) -> Any:
    low, high = c.number("low", 0.0), c.number("high", 1.0)
    size = c.shape("size")
    rng = c.reader.random(c.tok)
    return float(rng.uniform(low, high)) if size is None else rng.uniform(low, high, size=size)


def _normal(c: _Call) -> Any:
    loc, scale = c.number("loc", 0.0), c.number("scale", 1.0)
    if scale < 0:
        raise c.fail(Msg("setup.scale", got=scale), "scale")
    size = c.shape("size")
    rng = c.reader.random(c.tok)
    return float(rng.normal(loc, scale)) if size is None else rng.normal(loc, scale, size=size)


def _linspace(c: _Call) -> Any:
    start, stop = c.number("start"), c.number("stop")
    num = c.integer("num", 50, minimum=0)
    c.sized((num,), "num")
    return _np().linspace(start, stop, num=num)


def _arange(c: _Call) -> Any:
    a, b, step = c.get("start"), c.get("stop"), c.get("step", 1)
    if b is None:
        a, b = 0, a
    for name, v in (("start", a), ("stop", b), ("step", step)):
        if not _is_number(v) or not math.isfinite(v):
            raise c.fail(Msg("setup.number", name=name, got=_describe(v)), name)
    if step == 0:
        raise c.fail("step must not be 0", "step")
    count = max(0, math.ceil((b - a) / step))
    c.sized((count,))
    return _np().arange(a, b, step)


def _filled(fill: float) -> Any:
    def run(c: _Call) -> Any:
        shape = c.shape("shape")
        if shape is None:
            raise c.fail("needs a shape: np.zeros((N, D))")
        return _np().full(shape, fill)

    return run


def _filled_like(fill: float) -> Any:
    def run(c: _Call) -> Any:
        a = c.reader.array_arg(c, "a")
        return _np().full(a.shape, fill, dtype=float)

    return run


def _eye(c: _Call) -> Any:
    n = c.integer("N", minimum=0)
    c.sized((n, n), "N")
    return _np().eye(n)


def _array(c: _Call) -> Any:
    data = c.get("object")
    np = _np()
    if isinstance(data, np.ndarray):
        return data.copy()
    if _is_number(data):
        return data
    if not isinstance(data, (list, tuple)):
        raise c.fail(Msg("setup.nested_list", got=_describe(data)), "object")
    from .values import _shape_of  # the one check of nested lists (rectangular, numbers only)

    try:
        shape = _shape_of(_lists(data), "np.array")
    except BackcalcError as e:
        raise c.fail(e.message.split(": ", 1)[-1], "object") from None
    c.sized(shape, "object")
    arr = np.array(_lists(data))
    if arr.dtype.kind not in "iuf":
        raise c.fail("expected numbers", "object")
    return arr.astype(np.int64 if arr.dtype.kind in "iu" else np.float64)


def _lists(v: Any) -> Any:
    """Nested tuples/lists -> nested lists (an explicit stack: no recursion)."""
    if not isinstance(v, (list, tuple)):
        return v
    root: list = []
    stack = [(v, root)]
    while stack:
        src, dst = stack.pop()
        for x in src:
            if isinstance(x, (list, tuple)):
                child: list = []
                dst.append(child)
                stack.append((x, child))
            else:
                dst.append(x)
    return root


def _prod(c: _Call) -> Any:
    a = c.get("a")
    np = _np()
    if isinstance(a, np.ndarray):
        out = a.prod()
        return int(out) if a.dtype.kind in "iu" else float(out)
    items = a if isinstance(a, (tuple, list)) else [a]
    if not all(_is_number(v) for v in items):
        raise c.fail(Msg("setup.numbers_or_array", got=_describe(a)), "a")
    out = 1
    for v in items:
        out = out * v
        if isinstance(out, int) and out.bit_length() > 62:
            raise c.fail("the product is too large", "a")
    return out


def _operand(c: _Call, name: str) -> Any:
    v = c.get(name)
    if isinstance(v, bool) or not isinstance(v, (int, float, _np().ndarray)):
        raise c.fail(Msg("setup.number_or_array", name=name, got=_describe(v)), name)
    return v


def _elementwise(fname: str) -> Any:
    def run(c: _Call) -> Any:
        a, b = _operand(c, "x1"), _operand(c, "x2")
        np = _np()
        try:
            shape = np.broadcast_shapes(np.shape(a), np.shape(b))
        except ValueError:
            raise c.fail(Msg("setup.shapes_broadcast", a=np.shape(a), b=np.shape(b))) from None
        c.sized(tuple(shape))
        out = getattr(np, fname)(a, b)
        return out if isinstance(out, np.ndarray) and out.ndim else out.item()

    return run


def _unary(fname: str) -> Any:
    def run(c: _Call) -> Any:
        np = _np()
        v = _operand(c, "x")
        if fname == "sqrt" and np.any(np.asarray(v) < 0):
            raise c.fail("the square root of a negative number", "x")
        if fname == "log" and np.any(np.asarray(v) <= 0):
            raise c.fail("the logarithm of a number <= 0", "x")
        out = getattr(np, fname)(v if fname == "abs" else np.asarray(v, dtype=float))
        return out if isinstance(out, np.ndarray) and out.ndim else out.item()

    return run


def _dot(c: _Call) -> Any:
    a = c.reader.array_arg(c, "a")
    b = c.reader.array_arg(c, "b")
    return c.reader.binary(Token("op", "@", c.tok.start, c.tok.end), a, b)


_REDUCTIONS = ("sum", "mean", "std", "var", "max", "min")


def _reduction(fname: str) -> Any:
    def run(c: _Call) -> Any:
        np = _np()
        a = c.reader.array_arg(c, "self")
        axis = c.get("axis")
        if axis is not None:
            k = _as_int(axis)
            if k is None or not -a.ndim <= k < a.ndim:
                raise c.fail(
                    Msg("setup.axis", lo=-a.ndim, hi=a.ndim - 1, got=_describe(axis)),
                    "axis",
                )
            axis = k
        keep = c.get("keepdims", False)
        if not isinstance(keep, bool):
            raise c.fail(Msg("setup.keepdims", got=_describe(keep)), "keepdims")
        if a.size == 0:
            raise c.fail("of an empty array")
        out = getattr(a, fname)(axis=axis, keepdims=keep)
        return out if isinstance(out, np.ndarray) and out.ndim else out.item()

    return run


def _method_dot(c: _Call) -> Any:
    a = c.reader.array_arg(c, "self")
    b = c.reader.array_arg(c, "b")
    return c.reader.binary(Token("op", "@", c.tok.start, c.tok.end), a, b)


FUNCTIONS: dict[str, _Fn] = {
    f.name: f
    for f in (
        _Fn("np.random.seed", ("seed",), _seed, 1),
        _Fn("np.random.randn", (), _randn, variadic=True),
        _Fn("np.random.rand", (), _rand, variadic=True),
        _Fn("np.random.randint", ("low", "high", "size"), _randint, 1),
        _Fn("np.random.uniform", ("low", "high", "size"), _uniform),
        _Fn("np.random.normal", ("loc", "scale", "size"), _normal),
        _Fn("np.linspace", ("start", "stop", "num"), _linspace, 2),
        _Fn("np.arange", ("start", "stop", "step"), _arange, 1),
        _Fn("np.zeros", ("shape",), _filled(0.0), 1),
        _Fn("np.ones", ("shape",), _filled(1.0), 1),
        _Fn("np.zeros_like", ("a",), _filled_like(0.0), 1),
        _Fn("np.ones_like", ("a",), _filled_like(1.0), 1),
        _Fn("np.eye", ("N",), _eye, 1),
        _Fn("np.array", ("object",), _array, 1),
        _Fn("np.asarray", ("object",), _array, 1),
        _Fn("np.prod", ("a",), _prod, 1),
        _Fn("np.maximum", ("x1", "x2"), _elementwise("maximum"), 2),
        _Fn("np.minimum", ("x1", "x2"), _elementwise("minimum"), 2),
        _Fn("np.dot", ("a", "b"), _dot, 2),
        *(_Fn(f"np.{f}", ("x",), _unary(f), 1) for f in ("exp", "log", "sqrt", "abs", "tanh")),
    )
}


def _reshape(c: _Call) -> Any:
    a = c.reader.array_arg(c, "self")
    given = [v for v, _ in c.reader_pos]
    if len(given) == 1 and isinstance(given[0], (tuple, list)):
        given = list(given[0])
    dims = []
    for d in given:
        k = _as_int(d)
        if k is None or k < -1:
            raise c.fail(Msg("setup.new_shape", got=_describe(d)))
        dims.append(k)
    if not dims:
        raise c.fail("needs the new shape: .reshape(2, 4, 5, 6)")
    if dims.count(-1) > 1:
        raise c.fail("only one dimension can be -1")
    known = math.prod(d for d in dims if d != -1)
    if -1 in dims:
        if known == 0 or a.size % known:
            raise c.fail(Msg("setup.reshape", shape=tuple(a.shape), to=tuple(dims)))
        dims[dims.index(-1)] = a.size // known
    if math.prod(dims) != a.size:
        raise c.fail(
            Msg(
                "setup.reshape_sizes",
                shape=tuple(a.shape),
                size=a.size,
                to=tuple(dims),
                to_size=math.prod(dims),
            )
        )
    c.sized(tuple(dims))
    return a.reshape(dims)


def _copy(c: _Call) -> Any:
    return c.reader.array_arg(c, "self").copy()


def _ravel(c: _Call) -> Any:
    return c.reader.array_arg(c, "self").reshape(-1)


METHODS: dict[str, _Fn] = {
    f.name: f
    for f in (
        _Fn("reshape", (), _reshape, variadic=True),
        _Fn("dot", ("b",), _method_dot, 1),
        *(_Fn(f, ("axis", "keepdims"), _reduction(f)) for f in _REDUCTIONS),
        _Fn("copy", (), _copy),
        _Fn("ravel", (), _ravel),
        _Fn("flatten", (), _ravel),
    )
}
ATTRIBUTES = ("T", "shape", "size", "ndim")  # array attributes (no call)


def _attribute(v: Any, name: str) -> Any:
    """x.T (an array), x.shape (a tuple of ints: dout = np.random.randn(*x.shape)), x.size, x.ndim."""
    if name == "T":
        return v.T
    if name == "shape":
        return tuple(int(d) for d in v.shape)
    return int(getattr(v, name))


# --- the reader: parse and evaluate one statement at a time --------------------------------


class _Reader:
    def __init__(self, text: str, setup: Setup) -> None:
        self.text = text
        self.toks = tokenize(text)
        self.i = 0
        self.setup = setup
        self.names: dict[str, Any] = {}
        # np is numpy without an import: a pasted cell never has it (the notebook's first cell
        # does); 'import numpy as np' is read and changes nothing
        self.rng: Any = None
        self.depth = 0

    # tokens
    def peek(self, k: int = 0) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def next(self) -> Token:
        t = self.toks[self.i]
        self.i += 1
        return t

    def at(self, text: str) -> bool:
        t = self.peek()
        return t.kind in ("op", "name") and t.text == text

    def expect(self, text: str, what: str | None = None) -> Token:
        t = self.peek()
        if t.text != text or t.kind not in ("op", "name"):
            raise self.err(t, Msg("setup.expected", what=what or repr(text), found=self.shown(t)))
        return self.next()

    def shown(self, t: Token) -> str:
        if t.kind == "end":
            return Msg("setup.end_of_setup")
        if t.kind == "newline":
            return Msg("setup.end_of_line")
        return repr(t.text)

    def err(self, t: Token, message: str, hint: str | None = None) -> BackcalcError:
        return _error(self.text, t.start, t.end, message, hint)

    def random(self, tok: Token) -> Any:
        if self.rng is None:
            self.rng = _np().random.RandomState()
            line, _ = line_col(self.text, tok.start)
            self.setup.warnings.append(Msg("setup.unseeded", line=line))
        return self.rng

    def array_arg(self, c: _Call, name: str) -> Any:
        v = c.get(name)
        np = _np()
        if not isinstance(v, np.ndarray):
            raise c.fail(Msg("setup.expected_array", got=_describe(v)), name)
        return v

    # statements
    def run(self) -> None:
        while self.peek().kind != "end":
            if self.peek().kind == "newline" or self.at(";"):
                self.next()
                continue
            self.statement()
            t = self.peek()
            if t.kind not in ("newline", "end") and not self.at(";"):
                raise self.err(t, Msg("setup.expected_end", found=self.shown(t)))

    def statement(self) -> None:
        t = self.peek()
        if t.kind == "name" and t.text in ("import", "from"):
            self.import_line()
            return
        if t.kind == "name" and t.text in _KEYWORDS:
            raise self.err(t, Msg("setup.not_part", token=t.text), hint=Msg("setup.subset"))
        # targets '=' ... ?  (a run of NAME, ',' followed by '=')
        k = 0
        targets: list[Token] = []
        comma = False
        while self.peek(k).kind == "name" and not (
            self.peek(k + 1).text == "." and self.peek(k + 1).kind == "op"
        ):
            targets.append(self.peek(k))
            nxt = self.peek(k + 1)
            if nxt.kind == "op" and nxt.text == ",":
                comma = True
                k += 2
                continue
            k += 1
            break
        eq = self.peek(k)
        if targets and eq.kind == "op" and eq.text == "=":
            self.i += k + 1
            self.assign(targets, eq, comma)
            return
        start = self.peek()
        value, node = self.expr_tagged()
        if node != "call":
            raise self.err(
                start,
                Msg("setup.line_kind"),
                hint=Msg("setup.subset"),
            )
        del value

    def import_line(self) -> None:
        t = self.next()
        if t.text == "import" and self.at("numpy"):
            self.next()
            if self.at("as"):
                self.next()
                alias = self.peek()
                if alias.kind == "name" and alias.text == "np":
                    self.next()
                    return
                raise self.err(alias, Msg("setup.numpy_as"))
            raise self.err(t, Msg("setup.write_import"))
        raise self.err(
            t,
            Msg("setup.only_numpy"),
            hint=Msg("setup.subset"),
        )

    def assign(self, targets: list[Token], eq: Token, unpack: bool) -> None:
        values = self.exprs()
        names = [t.text for t in targets]
        if not unpack:
            results = [values]
        else:
            seq = values if isinstance(values, tuple) else None
            if seq is None:
                raise self.err(eq, Msg("setup.unpack_one", names=len(names)))
            if len(seq) != len(names):
                raise self.err(eq, Msg("setup.unpack", names=len(names), values=len(seq)))
            results = list(seq)
        for tok, v in zip(targets, results):
            if tok.text == "np" or tok.text in _KEYWORDS:
                raise self.err(tok, Msg("setup.not_assignable", token=tok.text))
            self.check_finite(tok, v)
            self.names[tok.text] = v

    def check_finite(self, tok: Token, v: Any) -> None:
        np = _np()
        if (
            isinstance(v, float)
            and not math.isfinite(v)
            or (isinstance(v, np.ndarray) and v.dtype.kind == "f" and not np.all(np.isfinite(v)))
        ):
            raise self.err(tok, Msg("setup.not_finite", name=tok.text))

    # expressions
    def exprs(self) -> Any:
        first = self.expr()
        if not self.at(","):
            return first
        items = [first]
        while self.at(","):
            self.next()
            if self.peek().kind in ("newline", "end") or self.at(")") or self.at("]") or self.at(";"):
                break
            items.append(self.expr())
        return tuple(items)

    def expr(self) -> Any:
        return self.expr_tagged()[0]

    def deeper(self, t: Token) -> None:
        """One more level of nesting (brackets, unary signs, powers): the parser recurses, so
        past ``Limits.max_nesting`` levels the line is refused, never a RecursionError."""
        self.depth += 1
        if self.depth > LIMITS.max_nesting:
            raise self.err(
                t,
                Msg("setup.too_deep", limit=LIMITS.max_nesting),
                hint=Msg("setup.too_deep_hint"),
            )

    def expr_tagged(self) -> tuple[Any, str]:
        v, kind = self.term()
        while self.at("+") or self.at("-"):
            op = self.next()
            rhs, _ = self.term()
            v, kind = self.binary(op, v, rhs), "op"
        return v, kind

    def term(self) -> tuple[Any, str]:
        v, kind = self.unary()
        while self.at("*") or self.at("/") or self.at("//") or self.at("@"):
            op = self.next()
            rhs, _ = self.unary()
            v, kind = self.binary(op, v, rhs), "op"
        return v, kind

    def unary(self) -> tuple[Any, str]:
        if self.at("-") or self.at("+"):
            op = self.next()
            self.deeper(op)
            v, _ = self.unary()
            self.depth -= 1
            if not (_is_number(v) or isinstance(v, _np().ndarray)):
                raise self.err(op, Msg("setup.op_needs", op=op.text, got=_describe(v)))
            return (-v if op.text == "-" else +v), "op"
        v, kind = self.postfix()
        if self.at("**"):
            op = self.next()
            self.deeper(op)
            rhs, _ = self.unary()
            self.depth -= 1
            return self.binary(op, v, rhs), "op"
        return v, kind

    def binary(self, op: Token, a: Any, b: Any) -> Any:
        np = _np()
        ok = (int, float, np.ndarray)
        for v in (a, b):
            if isinstance(v, bool) or not isinstance(v, ok):
                raise self.err(op, Msg("setup.op_needs_both", op=op.text, got=_describe(v)))
        s = op.text
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            sa, sb = np.shape(a), np.shape(b)
            if s == "@":
                if len(sa) != 2 or len(sb) not in (1, 2) or sa[1] != sb[0]:
                    raise self.err(op, Msg("setup.matmul", a=tuple(sa), b=tuple(sb)))
                out_shape = (sa[0],) + tuple(sb[1:])
            else:
                try:
                    out_shape = np.broadcast_shapes(sa, sb)
                except ValueError:
                    raise self.err(op, Msg("setup.broadcast", op=s, a=tuple(sa), b=tuple(sb))) from None
            size = math.prod(out_shape)
            if size > LIMITS.max_array_elements:
                raise self.err(
                    op,
                    Msg("setup.op_too_big", op=s, size=size, limit=LIMITS.max_array_elements),
                )
        elif s == "@":
            raise self.err(op, Msg("setup.matmul_arrays"))
        out = self.operate(op, a, b)
        if (
            isinstance(out, float)
            and not math.isfinite(out)
            or (isinstance(out, np.ndarray) and out.dtype.kind == "f" and not np.all(np.isfinite(out)))
        ):
            raise self.err(op, Msg("setup.op_not_finite", op=s))
        return out

    def operate(self, op: Token, a: Any, b: Any) -> Any:
        np = _np()
        s = op.text
        with np.errstate(all="ignore"):
            try:
                if s == "+":
                    return a + b
                if s == "-":
                    return a - b
                if s == "*":
                    return a * b
                if s == "/":
                    return a / b
                if s == "//":
                    return a // b
                if s == "@":
                    return a @ b
                # '**': Python ints could grow without bound; beyond int64 compute in floats
                if isinstance(a, int) and isinstance(b, int):
                    if b < 0 or (abs(a) > 1 and b * math.log2(abs(a)) > 62):
                        r = float(a) ** float(b)
                        if not math.isfinite(r):
                            raise OverflowError
                        return r
                if (
                    isinstance(a, np.ndarray)
                    and a.dtype.kind in "iu"
                    or isinstance(b, np.ndarray)
                    and b.dtype.kind in "iu"
                ):
                    return np.power(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
                return a**b
            except ZeroDivisionError:
                raise self.err(op, Msg("setup.division_by_zero")) from None
            except OverflowError:
                raise self.err(op, Msg("setup.result_too_large")) from None

    def postfix(self) -> tuple[Any, str]:
        t = self.peek()
        if t.kind == "name" and t.text == "np":
            return self.np_call()
        return self.methods(*self.atom())

    def methods(self, v: Any, kind: str) -> tuple[Any, str]:
        """The attributes and methods after a value (np.linspace(...).reshape(...), x.T); a
        value called as a function is refused."""
        while self.at(".") or self.at("("):
            dot = self.next()
            if dot.text == "(":
                raise self.err(dot, Msg("setup.not_callable", what=_describe(v)))
            attr = self.peek()
            if attr.kind != "name":
                raise self.err(attr, Msg("setup.method_name", found=self.shown(attr)))
            self.next()
            if not isinstance(v, _np().ndarray):
                raise self.err(attr, Msg("setup.no_methods", name=attr.text, what=_describe(v)))
            if attr.text in ATTRIBUTES:
                v, kind = _attribute(v, attr.text), "op"
                continue
            fn = METHODS.get(attr.text)
            if fn is None or not self.at("("):
                raise self.err(
                    attr,
                    Msg(
                        "setup.method_not_accepted",
                        name=attr.text,
                        accepted=", ".join([f".{m}(...)" for m in METHODS] + [f".{a}" for a in ATTRIBUTES]),
                    ),
                )
            v, kind = self.call(fn, attr, self_value=v), "call"
        return v, kind

    def np_call(self) -> tuple[Any, str]:
        first = self.next()
        parts = [first]
        while self.at("."):
            self.next()
            t = self.peek()
            if t.kind != "name":
                raise self.err(t, Msg("setup.name_after_dot", found=self.shown(t)))
            parts.append(self.next())
            dotted = ".".join(p.text for p in parts)
            if dotted in FUNCTIONS:
                break
            if not any(f.startswith(dotted + ".") for f in FUNCTIONS):
                raise self.err(
                    t,
                    Msg("setup.not_accepted", name=dotted),
                    hint=Msg("setup.functions", names=", ".join(FUNCTIONS)),
                )
        dotted = ".".join(p.text for p in parts)
        fn = FUNCTIONS.get(dotted)
        if fn is None:
            raise self.err(parts[-1], Msg("setup.not_function", name=dotted, names=", ".join(FUNCTIONS)))
        if not self.at("("):
            raise self.err(self.peek(), Msg("setup.must_call", name=dotted))
        v = self.call(fn, Token("name", dotted, first.start, parts[-1].end))
        return self.methods(v, "call")  # methods on the result: np.linspace(...).reshape(...)

    def call(self, fn: _Fn, tok: Token, self_value: Any = None) -> Any:
        self.deeper(self.expect("("))
        try:
            return self.call_args(fn, tok, self_value)
        finally:
            self.depth -= 1

    def call_args(self, fn: _Fn, tok: Token, self_value: Any) -> Any:
        positional: list[tuple[Any, Token]] = []
        keywords: dict[str, tuple[Any, Token]] = {}
        while not self.at(")"):
            t = self.peek()
            if t.kind == "name" and self.peek(1).kind == "op" and self.peek(1).text == "=":
                self.i += 2
                if t.text in keywords:
                    raise self.err(t, Msg("setup.keyword_twice", fn=fn.name, name=t.text + "="))
                if t.text not in fn.params and not fn.params:
                    raise self.err(
                        t,
                        Msg("setup.no_keywords", fn=fn.name, name=t.text),
                    )
                if t.text not in fn.params:
                    accepted = ", ".join(f"{p}=" for p in fn.params)
                    raise self.err(
                        t, Msg("setup.unknown_keyword", fn=fn.name, name=t.text, accepted=accepted)
                    )
                keywords[t.text] = (self.expr(), t)
            else:
                if keywords:
                    raise self.err(t, Msg("setup.positional_after", fn=fn.name))
                if self.at("*"):  # *input_shape: the items of a tuple or list, as arguments
                    self.next()
                    seq = self.expr()
                    if not isinstance(seq, (tuple, list)):
                        raise self.err(t, Msg("setup.star", fn=fn.name, got=_describe(seq)))
                    positional.extend((item, t) for item in seq)
                else:
                    positional.append((self.expr(), t))
            if not self.at(")"):
                self.expect(",", Msg("setup.either", a="','", b="')'"))
        self.expect(")")
        args: dict[str, tuple[Any, Token]] = {}
        if self_value is not None:
            args["self"] = (self_value, tok)
        variadic = fn.variadic
        if not variadic:
            if len(positional) > len(fn.params):
                raise self.err(
                    positional[len(fn.params)][1],
                    Msg("setup.too_many_positional", fn=fn.name, most=len(fn.params), got=len(positional)),
                )
            for p, a in zip(fn.params, positional):
                if p in keywords:
                    raise self.err(keywords[p][1], Msg("setup.keyword_twice", fn=fn.name, name=p))
                args[p] = a
            missing = [p for p in fn.params[: fn.required] if p not in args and p not in keywords]
            if missing:
                raise self.err(tok, Msg("setup.missing_argument", fn=fn.name, name=missing[0]))
        args.update(keywords)
        call = _Call(self, fn, tok, args, positional if variadic else [])
        np = _np()
        try:
            with np.errstate(all="ignore"):
                out = fn.run(call)
        except (OverflowError, ValueError, TypeError, ZeroDivisionError) as e:
            # a case the checks above do not foresee: still an error at its place, never a traceback
            raise self.err(tok, Msg("setup.cannot_compute", fn=fn.name, reason=e)) from None
        if (
            isinstance(out, float)
            and not math.isfinite(out)
            or (isinstance(out, np.ndarray) and out.dtype.kind == "f" and not np.all(np.isfinite(out)))
        ):
            raise self.err(tok, Msg("setup.result_not_finite", fn=fn.name))
        return out

    def atom(self) -> tuple[Any, str]:
        t = self.next()
        if t.kind == "op" and t.text in _OPEN:
            self.deeper(t)
            try:
                return self.bracketed(t)
            finally:
                self.depth -= 1
        return self.plain_atom(t)

    def bracketed(self, t: Token) -> tuple[Any, str]:
        """( ... ), [ ... ] or { ... }."""
        if t.kind == "op" and t.text == "(":
            if self.at(")"):
                self.next()
                return (), "atom"
            v = self.exprs()
            self.expect(")")
            return v, "atom"
        if t.kind == "op" and t.text == "[":
            items: list[Any] = []
            while not self.at("]"):
                items.append(self.expr())
                if not self.at("]"):
                    self.expect(",", Msg("setup.either", a="','", b="']'"))
            self.next()
            return items, "atom"
        if t.kind == "op" and t.text == "{":
            d: dict[str, Any] = {}
            while not self.at("}"):
                k = self.next()
                if k.kind != "string":
                    raise self.err(
                        k,
                        f"a dictionary key must be a quoted name such as 'learning_rate', found {self.shown(k)}",
                    )
                self.expect(":")
                d[k.text[1:-1]] = self.expr()
                if not self.at("}"):
                    self.expect(",", Msg("setup.either", a="','", b="'}'"))
            self.next()
            return d, "atom"
        raise self.err(t, Msg("setup.expected_value", found=self.shown(t)))

    def plain_atom(self, t: Token) -> tuple[Any, str]:
        """A number, a quoted text or a name."""
        if t.kind == "number":
            s = t.text.replace("_", "")
            if re.fullmatch(r"[0-9]+", s):
                if len(s) > 4000:
                    raise self.err(t, Msg("setup.number_too_long"))
                return int(s), "atom"
            v = float(s)
            if not math.isfinite(v):
                raise self.err(t, Msg("setup.number_too_large"))
            return v, "atom"
        if t.kind == "string":
            return t.text[1:-1], "atom"
        if t.kind == "name":
            if t.text in _CONSTANTS:
                return _CONSTANTS[t.text], "atom"
            if t.text in _KEYWORDS:
                raise self.err(t, Msg("setup.not_part", token=t.text), hint=Msg("setup.subset"))
            if t.text not in self.names:
                known = ", ".join(self.names) or Msg("setup.none_yet")
                raise self.err(t, Msg("setup.not_defined", name=t.text, known=known))
            return self.names[t.text], "atom"
        raise self.err(t, Msg("setup.expected_value", found=self.shown(t)))


_CONSTANTS = {"True": True, "False": False, "None": None}
_KEYWORDS = {
    "def", "class", "lambda", "for", "while", "if", "else", "elif", "with", "return", "yield",
    "print", "exec", "eval", "open", "del", "global", "nonlocal", "try", "except", "raise",
    "assert", "pass", "break", "continue", "async", "await", "not", "and", "or", "in", "is",
}  # fmt: skip
_SUBSET = "the setup lines accepted are listed in docs/cs231n-setup.md"


def read_setup(text: str) -> Setup:
    """Read setup lines (the notebook's setup cell) into a :class:`Setup`.

    >>> s = read_setup("import numpy as np\\nnp.random.seed(231)\\nx = np.random.randn(2, 3)")
    >>> s.values["x"].shape
    (2, 3)
    """
    if len(text) > LIMITS.max_chars:
        raise BackcalcError(Msg("setup.too_long", limit=LIMITS.max_chars))
    setup = Setup()
    reader = _Reader(text, setup)
    reader.run()
    np = _np()
    for name, v in reader.names.items():
        if isinstance(v, dict):
            setup.configs[name] = v
        elif isinstance(v, bool) or v is None or isinstance(v, (str, tuple, list)):
            continue  # helpers of later lines (shapes, lists), not values of the expression
        elif isinstance(v, np.ndarray) and v.size == 0:
            continue
        else:
            setup.values[name] = v
    return setup


def read_setup_file(path: str) -> Setup:
    """Read setup lines from a file (UTF-8 text, within the file-size limit)."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(LIMITS.max_file_bytes + 1)
    except OSError as e:
        raise BackcalcError(Msg("setup.cannot_read", path=path, reason=e.strerror or e)) from None
    return read_setup(decode_setup(raw, path))


def decode_setup(raw: bytes, where: str) -> str:
    if len(raw) > LIMITS.max_file_bytes:
        raise BackcalcError(Msg("setup.too_large", where=where, limit=LIMITS.max_file_bytes))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BackcalcError(Msg("setup.not_utf8", where=where, byte=e.start)) from None


__all__ = ["FUNCTIONS", "METHODS", "Setup", "read_setup", "read_setup_file", "tokenize"]
