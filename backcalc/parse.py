"""Text -> tree: a small hand-written parser that never evaluates its input.

Grammar (statements are separated by ';' or newlines; '#' starts a comment)::

    program   := statement (sep statement)*
    statement := [NAME '='] expr
    expr      := expr ('+' | '-') expr          # loosest, left-assoc
               | expr ('*' | '/' | '@') expr
               | ('-' | '+') expr               # unary
               | expr ('**' | '^') expr         # tightest, right-assoc: -x**2 = -(x**2)
               | NAME '(' expr (',' expr)* ')'  # call of a known function
               | NAME | NUMBER | '(' expr ')'
    NUMBER    := 2 | 0.5 | .5 | 1e-3 | 2.5E+4
    NAME      := a letter, then letters, digits or '_' (not starting with '_')

The parser is an operator-precedence (shunting-yard) loop over tokens with
explicit stacks: no Python recursion, so nesting depth is bounded only by
:data:`~backcalc.limits.LIMITS`.  The tree comes out flat, in post-order: every node's children
come before it in ``Program.nodes``, which lets later stages walk it with a
plain loop.  Every token and node carries a (start, end) span for error carets.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from .errors import BackcalcError
from .limits import LIMITS
from .syntax import BINARY, UNARY, operator_pattern


@dataclass(slots=True)
class Token:
    kind: str  # "num", "name", "op", "sep", "end"
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Syn:
    """One node of the syntax tree."""

    kind: str  # "num" | "name" | "call" | "binary" | "unary"
    text: str  # the number's text, the name, the function name, or the operator symbol
    args: tuple[int, ...]  # indices of the children in Program.nodes
    span: tuple[int, int]


@dataclass(slots=True)
class Statement:
    target: str | None  # the assigned name, or None for a bare expression
    root: int  # index of the statement's value in Program.nodes
    target_span: tuple[int, int] | None
    span: tuple[int, int]


@dataclass
class Program:
    source: str
    nodes: list[Syn]
    statements: list[Statement]


_TOKEN = re.compile(
    r"(?P<ws>[ \t\r\f\v]+)"
    r"|(?P<comment>\#[^\n]*)"
    r"|(?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[^\W\d]\w*)"
    rf"|(?P<op>{operator_pattern()})"
    r"|(?P<sep>[;\n])"
)

_REFUSED = {
    ".": "attribute access ('.') is not part of backcalc's expressions",
    "[": "subscripts and list literals are not part of expressions; give arrays as values (W=[[1,2],[3,4]])",
    "]": "subscripts and list literals are not part of expressions",
    "{": "braces are not part of backcalc's expressions",
    "}": "braces are not part of backcalc's expressions",
    "'": "strings are not part of backcalc's expressions",
    '"': "strings are not part of backcalc's expressions",
    ":": "':' (lambdas, slices, annotations) is not part of backcalc's expressions",
    "%": "'%' is not an operator here",
    "<": "comparisons are not part of backcalc's expressions",
    ">": "comparisons are not part of backcalc's expressions",
    "!": "'!' is not an operator here",
    "&": "'&' is not an operator here",
    "|": "'|' is not an operator here; write abs(x) for |x|",
    "~": "'~' is not an operator here",
    "\\": "backslashes are not part of backcalc's expressions",
    "`": "backticks are not part of backcalc's expressions",
    "$": "'$' is not part of backcalc's expressions",
}

_HINTS = {".": "for the transpose Wᵀ write transpose(W)"}


def _char_desc(c: str) -> str:
    if c.isprintable() and not c.isspace():
        return f"'{c}' (U+{ord(c):04X})"
    return f"U+{ord(c):04X}"


def tokenize(source: str) -> list[Token]:
    if len(source) > LIMITS.max_chars:
        raise BackcalcError(
            f"the expression is {len(source):,} characters long; the limit is {LIMITS.max_chars:,}",
            hint="raise it with BACKCALC_MAX_CHARS if you really mean it",
        )
    tokens: list[Token] = []
    pos, n = 0, len(source)
    match = _TOKEN.match
    while pos < n:
        m = match(source, pos)
        if m is None:
            c = source[pos]
            msg = _REFUSED.get(c, f"unexpected character {_char_desc(c)}")
            raise BackcalcError(msg, source=source, span=(pos, pos + 1), hint=_HINTS.get(c))
        kind = m.lastgroup
        end = m.end()
        if kind == "name":
            text = m.group()
            _check_name(text, source, pos, end)
            tokens.append(Token("name", text, pos, end))
        elif kind == "num":
            tokens.append(Token("num", m.group(), pos, end))
        elif kind == "op":
            tokens.append(Token("op", m.group(), pos, end))
        elif kind == "sep":
            tokens.append(Token("sep", m.group(), pos, end))
        pos = end
    tokens.append(Token("end", "", n, n))
    return tokens


def _check_name(text: str, source: str, start: int, end: int) -> None:
    if text.startswith("_"):
        raise BackcalcError(f"names may not start with '_' (got '{text}')", source=source, span=(start, end))
    if keyword.iskeyword(text):
        raise BackcalcError(
            f"'{text}' is a Python keyword; backcalc expressions are arithmetic only "
            "(no lambdas, conditionals, comprehensions or statements)",
            source=source,
            span=(start, end),
        )


@dataclass(slots=True)
class _Frame:
    """An open parenthesis on the operator stack."""

    kind: str  # "group" | "call"
    name: str  # function name for calls
    start: int  # where the call's name or the '(' starts
    paren: int  # position of '('
    argc: int = 0


def parse(source: str) -> Program:
    """Parse a program; raise BackcalcError (with a span) on anything outside the grammar."""
    if not isinstance(source, str):
        raise BackcalcError("the expression must be text")
    tokens = tokenize(source)
    nodes: list[Syn] = []
    statements: list[Statement] = []
    i = 0
    while True:
        while tokens[i].kind == "sep":
            i += 1
        if tokens[i].kind == "end":
            break
        target = target_span = None
        if tokens[i].kind == "name" and tokens[i + 1].text == "=":
            target, target_span = tokens[i].text, (tokens[i].start, tokens[i].end)
            i += 2
        start = tokens[i].start
        root, i = _parse_expression(source, tokens, i, nodes)
        stmt_start = target_span[0] if target_span else start
        statements.append(Statement(target, root, target_span, (stmt_start, nodes[root].span[1])))
    if not statements:
        raise BackcalcError("the expression is empty", hint='write one, e.g. "(x+y)*z"')
    return Program(source, nodes, statements)


def _parse_expression(source: str, tokens: list[Token], i: int, nodes: list[Syn]) -> tuple[int, int]:
    """Parse one expression starting at tokens[i]; return (root node index, next token index)."""
    # operands: (node index, outer span including any parentheses around it)
    operands: list[tuple[int, tuple[int, int]]] = []
    # operators: ("bin"/"un", symbol, prec, right_assoc, token start) or _Frame
    ops: list = []
    depth = 0
    expect_operand = True
    max_depth, max_nodes = LIMITS.max_depth, LIMITS.max_nodes

    def err(msg: str, span: tuple[int, int], **kw) -> BackcalcError:
        return BackcalcError(msg, source=source, span=span, **kw)

    def add(syn: Syn) -> int:
        if len(nodes) >= max_nodes:
            raise err(
                f"the expression has more than {max_nodes:,} nodes",
                syn.span,
                hint="raise the limit with BACKCALC_MAX_NODES",
            )
        nodes.append(syn)
        return len(nodes) - 1

    def deeper(depth: int, tok: Token) -> int:
        """One more open parenthesis, within the nesting limit."""
        if depth + 1 > max_depth:
            raise err(
                f"nesting deeper than {max_depth:,} levels",
                (tok.start, tok.end),
                hint="raise the limit with BACKCALC_MAX_DEPTH",
            )
        return depth + 1

    def reduce_top() -> None:
        kind, sym, _prec, _right, tstart = ops.pop()
        if kind == "un":
            child, cspan = operands.pop()
            span = (tstart, cspan[1])
            operands.append((add(Syn("unary", sym, (child,), span)), span))
        else:
            right, rspan = operands.pop()
            left, lspan = operands.pop()
            span = (lspan[0], rspan[1])
            operands.append((add(Syn("binary", sym, (left, right), span)), span))

    def close_frame(tok: Token) -> None:
        """At ')' or ',' : reduce operators down to the innermost open parenthesis."""
        while ops and not isinstance(ops[-1], _Frame):
            reduce_top()
        if not ops:
            if tok.text == ")":
                raise err("unmatched ')'", (tok.start, tok.end))
            raise err(
                "',' outside a function call",
                (tok.start, tok.end),
                hint="tuples are not part of backcalc's expressions",
            )

    while True:
        tok = tokens[i]
        if expect_operand:
            if tok.kind == "num":
                try:
                    value = float(tok.text)
                except ValueError:  # pragma: no cover - the regex only admits valid floats
                    raise err(f"'{tok.text}' is not a number", (tok.start, tok.end)) from None
                if value == float("inf"):
                    raise err(f"the number {tok.text} is too large for float64", (tok.start, tok.end))
                operands.append((add(Syn("num", tok.text, (), (tok.start, tok.end))), (tok.start, tok.end)))
                expect_operand = False
            elif tok.kind == "name":
                if tokens[i + 1].text == "(":
                    depth = deeper(depth, tok)
                    ops.append(_Frame("call", tok.text, tok.start, tokens[i + 1].start))
                    i += 1
                    if tokens[i + 1].text == ")":
                        raise err(f"{tok.text}() needs arguments", (tok.start, tokens[i + 1].end))
                else:
                    span = (tok.start, tok.end)
                    operands.append((add(Syn("name", tok.text, (), span)), span))
                    expect_operand = False
            elif tok.text == "(":
                depth = deeper(depth, tok)
                ops.append(_Frame("group", "", tok.start, tok.start))
            elif tok.text in UNARY:
                ops.append(("un", tok.text, UNARY[tok.text].prec, True, tok.start))
            elif tok.text == "\n" and ops:
                pass  # a line break inside parentheses or after an operator continues the expression
            elif tok.kind in ("end", "sep"):
                raise err("the expression ended where a value was expected", (tok.start, tok.end))
            else:
                what = "'='" if tok.text == "=" else f"'{tok.text}'"
                hint = None
                if tok.text == "=" and ops and isinstance(ops[-1], _Frame):
                    hint = "keyword arguments are not supported"
                raise err(
                    f"expected a number, a name or '(' but found {what}", (tok.start, tok.end), hint=hint
                )
            i += 1
            continue

        # after an operand: an operator, ',' , ')' or the end of the statement
        if tok.kind == "op" and tok.text in BINARY:
            prec, right = BINARY[tok.text].prec, BINARY[tok.text].right
            while ops and not isinstance(ops[-1], _Frame):
                top_prec = ops[-1][2]
                if top_prec > prec or (top_prec == prec and not right):
                    reduce_top()
                else:
                    break
            ops.append(("bin", tok.text, prec, right, tok.start))
            expect_operand = True
        elif tok.text == ",":
            close_frame(tok)
            frame = ops[-1]
            if frame.kind != "call":
                raise err(
                    "',' outside a function call",
                    (tok.start, tok.end),
                    hint="tuples are not part of backcalc's expressions",
                )
            frame.argc += 1
            expect_operand = True
        elif tok.text == ")":
            close_frame(tok)
            frame = ops.pop()
            depth -= 1
            if frame.kind == "group":
                node, _ = operands.pop()
                operands.append((node, (frame.start, tok.end)))
            else:
                argc = frame.argc + 1
                args = tuple(n for n, _ in operands[-argc:])
                del operands[-argc:]
                span = (frame.start, tok.end)
                operands.append((add(Syn("call", frame.name, args, span)), span))
        elif tok.text == "\n" and depth > 0:
            pass  # a line break inside parentheses
        elif tok.kind in ("end", "sep"):
            frames = [o for o in ops if isinstance(o, _Frame)]
            if frames:
                f = frames[-1]
                raise err(
                    f"expected ')' to close '(' at {_col(source, f.paren)}",
                    (f.paren, tok.start),
                    end_note="expression ended here",
                )
            while ops:
                reduce_top()
            node, _ = operands.pop()
            return node, i
        elif tok.text == "=":
            hint = None
            if any(isinstance(o, _Frame) for o in ops):
                hint = "keyword arguments are not supported"
            else:
                hint = "an assignment looks like 'q = x + y' at the start of a statement"
            raise err("unexpected '='", (tok.start, tok.end), hint=hint)
        else:
            prev = source[nodes[operands[-1][0]].span[0] : operands[-1][1][1]] if operands else ""
            raise err(
                f"missing operator before '{tok.text}'",
                (tok.start, tok.end),
                hint=f"write '{prev[-20:]} * {tok.text}' for a product" if prev else None,
            )
        i += 1


def _col(source: str, pos: int) -> str:
    from .errors import line_col

    line, col = line_col(source, pos)
    return f"line {line}, column {col}" if "\n" in source else f"column {col}"
