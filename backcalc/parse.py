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

A name is a function call only where it is followed by '(': elsewhere it is a plain
variable, so ``dot = w0*x0 + w1*x1; exp(-dot)`` works (the graph builder notes the
shadowing).

Speed is part of the design (a 1,000,000-character program must parse in a fraction
of a second): the text is cut into token strings by one compiled regular expression
(``findall``, in C), and a table-driven operator-precedence loop over those strings
builds the tree as parallel lists, with no per-token objects.  Spans are kept as token
indices and turned into character offsets only when something asks (an error caret, a
node's source text), by a second pass of the same pattern.  No Python recursion: the
nesting depth is bounded only by :data:`~backcalc.limits.LIMITS`.  The tree comes out
flat, in post-order: every node's children come before it, which lets later stages
walk it with a plain loop.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import BackcalcError, Msg
from .limits import LIMITS
from .syntax import BINARY, PUNCTUATION, UNARY

# One token per match; leading blanks are skipped.  Every character that is not a blank
# starts a token (the last alternative), so nothing is skipped silently: an unexpected
# character comes out as a one-character token and is refused by the parser.
_NUMBER = r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
# The common cases come first (an ASCII name, an operator); the general name pattern
# ([^\W\d]: a letter of any script) and the catch-all come last.
_PATTERN = re.compile(
    r"[ \t\r\f\v]*([A-Za-z_]\w*|\*\*|[-+*/@^(),=;\n]|" + _NUMBER + r"|\#[^\n]*|[^\W\d]\w*|[^ \t\r\f\v])"
)
_findall = _PATTERN.findall

# token classes
NUM, NAME, LPAR, RPAR, COMMA, EQ, SEP, NL, END, COMMENT, BAD, SIGN, BIN = range(13)
_CLASS: dict[str, int] = {
    "(": LPAR,
    ")": RPAR,
    ",": COMMA,
    "=": EQ,
    ";": SEP,
    "\n": NL,
    "": END,
    **{s: BIN for s in BINARY},
    **{s: SIGN for s in UNARY},  # '+' and '-': binary after an operand, unary before one
}
assert set(PUNCTUATION) <= set(_CLASS)
_PREC = {s: (o.prec, o.right) for s, o in BINARY.items()}
_UNARY_PREC = {s: o.prec for s, o in UNARY.items()}
_NAME_START = re.compile(r"[^\W\d]")
_INF = float("inf")
_KEYWORDS = frozenset(keyword.kwlist)

# refused characters -> the catalogue key of the message (parse.refused.*)
_REFUSED = {
    ".": "attribute",
    "[": "subscript",
    "]": "subscript_close",
    "{": "braces",
    "}": "braces",
    "'": "string",
    '"': "string",
    ":": "colon",
    "%": "not_operator",
    "<": "comparison",
    ">": "comparison",
    "!": "not_operator",
    "&": "not_operator",
    "|": "bar",
    "~": "not_operator",
    "\\": "backslash",
    "`": "backtick",
    "$": "not_operator",
}


def _classify(tok: str) -> int:
    """The class of a token that is not an operator or punctuation (computed once per text)."""
    c = tok[0]
    if "a" <= c <= "z" or "A" <= c <= "Z" or c == "_":
        return NAME
    if "0" <= c <= "9" or (c == "." and len(tok) > 1):
        return NUM
    if c == "#":
        return COMMENT
    if _NAME_START.match(c):
        return NAME
    return BAD


def _char_desc(c: str) -> str:
    if c.isprintable() and not c.isspace():
        return f"'{c}' (U+{ord(c):04X})"
    return f"U+{ord(c):04X}"


class Positions:
    """Token index -> character offsets, computed on first use by a second pass of the
    tokenizer's pattern (which cuts the text into the same tokens), only as far as asked:
    an error near the start of a long text costs a short scan."""

    __slots__ = ("source", "_starts", "_ends", "_rest")

    def __init__(self, source: str) -> None:
        self.source = source
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._rest: Any = None  # the pass, while it is not finished

    def _upto(self, tok: int) -> None:
        starts, ends = self._starts, self._ends
        if self._rest is None:
            if starts:
                return  # finished
            self._rest = _PATTERN.finditer(self.source)
        for m in self._rest:
            starts.append(m.start(1))
            ends.append(m.end(1))
            if len(starts) > tok:
                return
        n = len(self.source)
        starts.append(n)  # the end of the text, as a token
        ends.append(n)
        self._rest = None

    def span(self, first: int, last: int) -> tuple[int, int]:
        """The characters from token ``first`` to token ``last`` (inclusive)."""
        if last >= len(self._ends):
            self._upto(max(first, last))
        return self._starts[first], self._ends[last]

    def start(self, tok: int) -> int:
        if tok >= len(self._starts):
            self._upto(tok)
        return self._starts[tok]


@dataclass(slots=True)
class Syn:
    """One node of the syntax tree (a view made on request: the parser keeps lists)."""

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
    """The parsed text as parallel lists, in post-order (children before parents).

    Node k is ``kinds[k]`` ("num", "name", "call", "binary", "unary") with text
    ``texts[k]``, children ``args[k]`` and tokens ``toks[k]`` = (first, last); a
    statement is ``targets[s]`` (or None) = the node ``roots[s]``."""

    source: str
    kinds: list[str]
    texts: list[str]
    args: list[tuple[int, ...]]
    toks: list[tuple[int, int]]
    targets: list[str | None]
    roots: list[int]
    target_toks: list[int]  # token of each statement's target (-1: none)
    stmt_toks: list[tuple[int, int]]  # each statement's value: first and last token
    positions: Positions = field(repr=False)

    def span(self, k: int) -> tuple[int, int]:
        """Character span of node k."""
        a, b = self.toks[k]
        return self.positions.span(a, b)

    def tok_span(self, a: int, b: int) -> tuple[int, int]:
        return self.positions.span(a, b)

    @property
    def nodes(self) -> list[Syn]:
        return [
            Syn(k, t, a, self.span(i)) for i, (k, t, a) in enumerate(zip(self.kinds, self.texts, self.args))
        ]

    @property
    def statements(self) -> list[Statement]:
        out = []
        for target, root, tt, (a, b) in zip(self.targets, self.roots, self.target_toks, self.stmt_toks):
            tspan = self.tok_span(tt, tt) if tt >= 0 else None
            start, end = self.tok_span(a, b)
            out.append(Statement(target, root, tspan, (tspan[0] if tspan else start, end)))
        return out


def parse(source: str) -> Program:
    """Parse a program; raise BackcalcError (with a span) on anything outside the grammar."""
    if not isinstance(source, str):
        raise BackcalcError(Msg("parse.not_text"))
    if len(source) > LIMITS.max_chars:
        raise BackcalcError(
            Msg("parse.too_long", length=len(source), limit=LIMITS.max_chars),
            hint=Msg("parse.raise_limit", variable="BACKCALC_MAX_CHARS"),
        )
    toks = _findall(source)
    ntok = len(toks)
    toks.append("")  # the end
    toks.append("")  # (room to look two tokens ahead)
    pos = Positions(source)
    cls = dict(_CLASS)  # grows with every new token text: each is classified once
    prec_of = _PREC
    uprec = _UNARY_PREC
    max_depth = LIMITS.max_depth

    kinds: list[str] = []
    texts: list[str] = []
    args: list[tuple[int, ...]] = []
    tspans: list[tuple[int, int]] = []
    # one node per distinct name and number: later uses share it, and a name assigned by a
    # statement (q = ...) stands for that statement's value from then on
    leaf: dict[str, int] = {}
    targets: list[str | None] = []
    roots: list[int] = []
    target_toks: list[int] = []
    stmt_toks: list[tuple[int, int]] = []
    k_append, t_append, a_append, s_append = kinds.append, texts.append, args.append, tspans.append

    def mk(msg: str, first: int, last: int | None = None, **kw) -> BackcalcError:
        span = pos.span(first, first if last is None else last)
        return BackcalcError(msg, source=source, span=span, **kw)

    def err(msg: str, first: int, last: int | None = None, **kw) -> BackcalcError:
        """A syntax error, unless the text has a lexical one (a refused character or name)
        anywhere: that one is reported first, wherever it is."""
        return _lexical_error(toks, cls, mk) or mk(msg, first, last, **kw)

    # the operator stack holds tuples: (prec, right, symbol, token, is_unary) for operators,
    # and [-1, kind, name, token of name, token of '(', argc] lists for open parentheses
    ops: list = []
    opnd: list[int] = []  # operand node indices
    ospan: list[tuple[int, int]] = []  # each operand's tokens, with the parentheses around it
    o_append, o_pop, p_append, p_pop = opnd.append, opnd.pop, ospan.append, ospan.pop
    nn = 0  # nodes so far
    depth = 0
    expect = True  # an operand is expected next
    i = _statement_start(toks, cls, 0, targets, target_toks, mk)
    while i >= 0:
        tok = toks[i]
        if expect:
            node = leaf.get(tok)
            if node is not None and toks[i + 1] != "(":  # a name or number seen before
                o_append(node)
                p_append((i, i))
                expect = False
                i += 1
                continue
            c = cls.get(tok)
            if c is None:
                c = _classify(tok)
                if c != NUM:  # numbers are seldom written twice: the leaf table has them
                    cls[tok] = c
            if c == NAME:
                if tok[0] == "_" or tok in _KEYWORDS:
                    _check_name(tok, i, mk)
                if toks[i + 1] == "(":
                    depth += 1
                    if depth > max_depth:
                        raise _too_deep(err, max_depth, i)
                    if toks[i + 2] == ")":
                        raise err(Msg("parse.no_arguments", name=tok), i, i + 2)
                    ops.append([-1, "call", tok, i, i + 1, 0])
                    i += 2
                    continue
                kind = "name"
                expect = False
            elif c == NUM:
                if float(tok) == _INF:
                    raise err(Msg("parse.number_too_large", number=tok), i)
                kind = "num"
                expect = False
            elif c == LPAR:
                depth += 1
                if depth > max_depth:
                    raise _too_deep(err, max_depth, i)
                ops.append([-1, "group", "", i, i, 0])
                i += 1
                continue
            elif c == SIGN:
                ops.append((uprec[tok], True, tok, i, True))
                if len(ops) > max_depth:  # - - - ... x nests like parentheses
                    raise _too_deep(err, max_depth, i)
                i += 1
                continue
            elif c == COMMENT or (c == NL and ops):
                i += 1  # a line break inside parentheses or after an operator continues the expression
                continue
            elif c == END or c == SEP or c == NL:
                raise err(Msg("parse.ended"), i)
            elif c == BAD:
                raise _bad_char(err, toks, i)
            else:
                hint = None
                if tok == "=" and ops and ops[-1][0] == -1:
                    hint = Msg("parse.no_keywords")
                raise err(Msg("parse.expected_operand", found=tok), i, hint=hint)
            # a name or a number: a leaf, shared by its uses
            node = leaf.get(tok)
            if node is None:
                k_append(kind)
                t_append(tok)
                a_append(())
                s_append((i, i))
                node = leaf[tok] = nn
                nn += 1
            o_append(node)
            p_append((i, i))
            i += 1
            continue

        # after an operand: an operator, ',' , ')' or the end of the statement.  First reduce
        # the operators that bind tighter (all of them, down to the innermost parenthesis,
        # for ',' ')' and the end), then act on the token.
        pr = prec_of.get(tok)
        if pr is not None:
            prec, right = pr
            c = BIN
        elif (
            (c := cls.get(tok) or _classify(tok)) == RPAR
            or c == COMMA
            or c == END
            or c == SEP
            or (c == NL and depth == 0)
        ):
            prec, right = 0, False
        elif c == RPAR or c == COMMA or c == END or c == SEP or (c == NL and depth == 0):
            prec, right = 0, False
        elif c == COMMENT or c == NL:
            i += 1  # a line break inside parentheses
            continue
        elif c == EQ:
            if any(o[0] == -1 for o in ops):
                hint = Msg("parse.no_keywords")
            else:
                hint = Msg("parse.assignment_hint")
            raise err(Msg("parse.unexpected_eq"), i, hint=hint)
        elif c == BAD:
            raise _bad_char(err, toks, i)
        else:
            # the text of the operand before, from its own start (a leaf's own token, inside
            # any parentheses around it) to its end
            first, end = ospan[-1]
            if args[opnd[-1]]:
                first = tspans[opnd[-1]][0]
            else:
                while toks[first] == "(" or toks[first] == "\n" or toks[first][:1] == "#":
                    first += 1
            prev = source[pos.start(first) : pos.span(end, end)[1]]
            raise err(Msg("parse.missing_operator", token=tok), i, hint=_missing_operator_hint(prev, tok))
        while ops:
            top = ops[-1]
            tp = top[0]
            if tp < prec or (tp == prec and right):
                break
            ops.pop()
            if top[4]:  # unary
                a_append((o_pop(),))
                span = (top[3], p_pop()[1])
                k_append("unary")
            else:
                r = o_pop()
                a_append((o_pop(), r))
                r_end = p_pop()[1]
                span = (p_pop()[0], r_end)
                k_append("binary")
            s_append(span)
            p_append(span)
            t_append(top[2])
            o_append(nn)
            nn += 1
        if c == BIN:
            ops.append((prec, right, tok, i, False))
            if right and len(ops) > max_depth:  # x ** x ** x ... nests to the right
                raise _too_deep(err, max_depth, i)
            expect = True
            i += 1
        elif c == RPAR or c == COMMA:
            if not ops:
                if c == RPAR:
                    raise err(Msg("parse.unmatched_close"), i)
                raise err(Msg("parse.comma"), i, hint=Msg("parse.no_tuples"))
            frame = ops[-1]
            if c == COMMA:
                if frame[1] != "call":
                    raise err(Msg("parse.comma"), i, hint=Msg("parse.no_tuples"))
                frame[5] += 1
                expect = True
            else:
                ops.pop()
                depth -= 1
                span = (frame[3], i)
                if frame[1] == "group":
                    ospan[-1] = span
                else:
                    argc = frame[5] + 1
                    a_append(tuple(opnd[-argc:]))
                    del opnd[-argc:]
                    del ospan[-argc:]
                    k_append("call")
                    t_append(frame[2])
                    s_append(span)
                    o_append(nn)
                    p_append(span)
                    nn += 1
            i += 1
        else:  # the end of the statement
            if ops:
                paren = pos.start(ops[-1][4])
                raise _lexical_error(toks, cls, mk) or BackcalcError(
                    Msg("parse.unclosed", where=_col(source, paren)),
                    source=source,
                    span=(paren, pos.start(i)),
                    end_note=Msg("parse.ended_here"),
                )
            root = o_pop()
            stmt_toks.append(p_pop())
            roots.append(root)
            if targets[-1] is not None:
                leaf[targets[-1]] = root
            expect = True
            # the next statement: most often 'name = ...' right after the separator
            t2 = toks[i + 1]
            if c != END and toks[i + 2] == "=" and (cls.get(t2) or _classify(t2)) == NAME:
                if t2[0] == "_" or t2 in _KEYWORDS:
                    _check_name(t2, i + 1, mk)
                targets.append(t2)
                target_toks.append(i + 1)
                i += 3
            else:
                i = _statement_start(toks, cls, i, targets, target_toks, mk)
    if not roots:
        raise BackcalcError(Msg("parse.empty"), hint=Msg("parse.empty_hint"))
    if len(kinds) > LIMITS.max_nodes:
        raise err(
            Msg("parse.too_many_nodes", limit=LIMITS.max_nodes),
            *tspans[LIMITS.max_nodes],
            hint=Msg("parse.raise_limit", variable="BACKCALC_MAX_NODES"),
        )
    del toks[ntok:]
    return Program(source, kinds, texts, args, tspans, targets, roots, target_toks, stmt_toks, pos)


def _statement_start(
    toks: list[str], cls: dict[str, int], i: int, targets: list, target_toks: list, mk
) -> int:
    """Skip separators; read a statement's target (``q =``).  The index of the statement's
    first token, or -1 at the end of the text."""
    while True:
        tok = toks[i]
        c = cls.get(tok)
        if c is None:
            c = cls[tok] = _classify(tok)
        if c == SEP or c == NL or c == COMMENT:
            i += 1
            continue
        if c == END:
            return -1
        if c == NAME and toks[i + 1] == "=":
            _check_name(tok, i, mk)
            targets.append(tok)
            target_toks.append(i)
            return i + 2
        targets.append(None)
        target_toks.append(-1)
        return i


def _lexical_error(toks: list[str], cls: dict[str, int], mk) -> BackcalcError | None:
    """The first refused character or name of the text, if any (the error path only)."""
    for j, tok in enumerate(toks):
        c = cls.get(tok)
        if c is None:
            c = cls[tok] = _classify(tok)
        if c == BAD:
            return _bad_char(mk, toks, j)
        if c == NAME and (tok[0] == "_" or keyword.iskeyword(tok)):
            try:
                _check_name(tok, j, mk)
            except BackcalcError as e:
                return e
    return None


def _check_name(tok: str, i: int, mk) -> None:
    if tok[0] == "_":
        raise mk(Msg("parse.underscore", name=tok), i)
    if keyword.iskeyword(tok):
        raise mk(Msg("parse.keyword", name=tok), i)


def _too_deep(err, max_depth: int, i: int) -> BackcalcError:
    return err(
        Msg("parse.too_deep", limit=max_depth),
        i,
        hint=Msg("parse.raise_limit", variable="BACKCALC_MAX_DEPTH"),
    )


def _bad_char(err, toks: list[str], i: int) -> BackcalcError:
    """The error for a refused character, with a hint at what was probably meant."""
    tok = toks[i]
    key = _REFUSED.get(tok)
    msg = Msg("parse.refused." + key, char=tok) if key else Msg("parse.unexpected_char", char=_char_desc(tok))
    return err(msg, i, hint=_char_hint(toks, i))


def _char_hint(toks: list[str], i: int) -> Msg | None:
    from .syntax import FOREIGN_OPERATORS, MODULE_PREFIXES

    tok = toks[i]
    before = toks[i - 1] if i > 0 else ""
    after = toks[i + 1] if i + 1 < len(toks) else ""
    if tok in FOREIGN_OPERATORS:
        return Msg("parse.hint.write_instead", wrong=tok, right=FOREIGN_OPERATORS[tok])
    if tok == ".":
        if before in MODULE_PREFIXES and after[:1].isalpha():
            return Msg("parse.hint.module_prefix", written=f"{before}.{after}", name=after)
        return Msg("parse.hint.transpose")
    if tok == "|" and after == "|":
        # ||W @ x||^2: the norm, as the notes write it
        try:
            end = next(j for j in range(i + 2, len(toks) - 1) if toks[j] == "|" and toks[j + 1] == "|")
        except StopIteration:
            end = -1
        inner = " ".join(t for t in toks[i + 2 : end]) if end > 0 else "W @ x"
        squared = end > 0 and toks[end + 2 : end + 4] in (["^", "2"], ["**", "2"])
        written = f"||{inner}||" + ("^2" if squared else "")
        return Msg("parse.hint.norm", written=written, right=f"norm({inner})" + ("**2" if squared else ""))
    if tok == "|":
        return Msg("parse.hint.abs")
    if tok == "'" and before[:1].isalpha() and (after == "" or not after[:1].isalnum()):
        return Msg("parse.hint.prime", name=before)
    return None


def _missing_operator_hint(prev: str, tok: str) -> Msg | None:
    """'exp x' means exp(x); 'x y' means x * y."""
    if not prev:
        return None
    if prev.isidentifier():
        from .ops import function_names

        if prev in function_names():
            return Msg("parse.hint.call", name=prev, arg=tok)
    return Msg("parse.hint.product", left=prev[-20:], right=tok)


def _col(source: str, pos: int) -> Msg:
    from .errors import where

    return where(source, pos)
