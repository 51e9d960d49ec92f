"""The expression language: what parses, what is refused, and the exact messages."""

from __future__ import annotations

import pytest

import backcalc
from backcalc import BackcalcError
from backcalc.parse import parse


def err_of(expr: str, **values) -> BackcalcError:
    with pytest.raises(BackcalcError) as e:
        backcalc.grad(expr, values or {"x": 1, "y": 2, "z": 3})
    return e.value


@pytest.mark.parametrize(
    "expr, value",
    [
        ("2 + 3 * 4", 14.0),
        ("(2 + 3) * 4", 20.0),
        ("2 ** 3 ** 2", 512.0),
        ("2 ^ 3", 8.0),
        ("-2 ** 2", -4.0),
        ("2 ** -1", 0.5),
        ("-(-3)", 3.0),
        ("+3", 3.0),
        ("1e-3 * 1000", 1.0),
        (".5 + 5.", 5.5),
        ("10 / 4 / 5", 0.5),
        ("2 - 3 - 4", -5.0),
        ("max(1, 5, 3)", 5.0),
        ("min(4, -2)", -2.0),
        ("abs(-3)", 3.0),
        ("relu(-1) + relu(2)", 2.0),
        ("sqrt(16)", 4.0),
        ("exp(0) + log(1)", 1.0),
        ("ln(1)", 0.0),
        ("pow(2, 10)", 1024.0),
        ("pi - pi", 0.0),
        ("2 * -3", -6.0),
        ("2*-x", -2.0),
        ("x*y*z", 6.0),
    ],
)
def test_arithmetic_follows_python_precedence(expr, value):
    assert backcalc.grad(expr, {"x": 1, "y": 2, "z": 3} if "x" in expr else {}).value == value


def test_constants_pi_and_e_unless_given():
    import math

    assert backcalc.grad("pi").value == math.pi
    assert backcalc.grad("e").value == math.e
    r = backcalc.grad("e * 2", e=3)
    assert r.value == 6.0 and r.gradients == {"e": 2.0}


def test_staged_program_keeps_named_intermediates():
    r = backcalc.grad("q = x + y; f = q * z", x=-2, y=5, z=-4)
    assert [n.id for n in r.nodes] == ["x", "y", "q", "z", "f"]
    assert r.output == "f" and r.value == -12.0
    r2 = backcalc.grad("q = x + y\nf = q * z  # the lecture's example\n", x=-2, y=5, z=-4)
    assert r2.gradients == r.gradients


def test_last_statement_is_the_output_and_gets_a_name():
    r = backcalc.grad("q = x + y; q * z", x=-2, y=5, z=-4)
    assert r.output == "f" and r.value == -12.0
    r = backcalc.grad("f * 2", f=3)  # 'f' taken: the output is called something else
    assert r.output != "f" and r.gradients == {"f": 2.0}


def test_line_breaks_inside_parentheses_continue_the_expression():
    assert backcalc.grad("(1 +\n 2) * 3").value == 9.0
    assert backcalc.grad("1 +\n 2").value == 3.0


def test_flat_tree_children_come_before_parents():
    prog = parse("(x+y)*z")
    for i, node in enumerate(prog.nodes):
        assert all(a < i for a in node.args)
    assert [n.kind for n in prog.nodes] == ["name", "name", "binary", "name", "binary"]


@pytest.mark.parametrize(
    "expr, message, caret",
    [
        ("(x + y * z", "expected ')' to close '(' at column 1", "  ^         ^ expression ended here"),
        ("x +", "the expression ended where a value was expected", "     ^"),
        ("2x", "missing operator before 'x'", "   ^"),
        ("x.y", "attribute access ('.') is not part of backcalc's expressions", "   ^"),
        (
            "W[0]",
            "subscripts and list literals are not part of expressions; give arrays as values "
            "(W=[[1,2],[3,4]])",
            "   ^",
        ),
        (
            "lambda x: x",
            "'lambda' is a Python keyword; backcalc expressions are arithmetic only "
            "(no lambdas, conditionals, comprehensions or statements)",
            "  ^^^^^^",
        ),
        (
            "x if y else z",
            "'if' is a Python keyword; backcalc expressions are arithmetic only "
            "(no lambdas, conditionals, comprehensions or statements)",
            "    ^^",
        ),
        ("__import__('os')", "names may not start with '_' (got '__import__')", "  ^^^^^^^^^^"),
        ("f(x=1)", "unexpected '='", "     ^"),
        (
            "[x for x in y]",
            "subscripts and list literals are not part of expressions; give arrays as "
            "values (W=[[1,2],[3,4]])",
            "  ^",
        ),
        ("'abc'", "strings are not part of backcalc's expressions", "  ^"),
        ("foo(x)", "unknown function 'foo'", "  ^^^"),
        ("exp", "'exp' is a function; call it as exp(...)", "  ^^^"),
        ("exp(x, y)", "exp() takes 1 argument, got 2", "  ^^^^^^^^^"),
        (")", "expected a number, a name or '(' but found ')'", "  ^"),
        ("x, y", "',' outside a function call", "   ^"),
        ("1e999", "the number 1e999 is too large for float64", "  ^^^^^"),
        ("x\x00", "unexpected character U+0000", "   ^"),
        ("x ≤ y", "unexpected character '≤' (U+2264)", "    ^"),
        ("max()", "max() needs arguments", "  ^^^^^"),
        ("x = 1 = 2", "unexpected '='", "        ^"),
        ("q = x+y; q = 2*x", "'q' is assigned twice", "           ^"),
        ("f = q*z; q = x+y", "'q' is used before it is assigned", "      ^"),
        ("x; y", "this statement's value is never used; name it (q = ...) or remove it", "  ^"),
        ("", "the expression is empty", None),
    ],
)
def test_syntax_errors_point_at_the_problem(expr, message, caret):
    e = err_of(expr)
    assert e.message == message
    lines = e.render().splitlines()
    assert lines[0] == "error: " + message
    if caret is not None:
        assert lines[2] == caret


def test_a_function_name_is_a_variable_where_it_is_not_called():
    # the cs231n notes' own code: dot = w[0]*x[0] + w[1]*x[1] + w[2]; f = 1.0 / (1 + math.exp(-dot))
    r = backcalc.grad("dot = w0*x0 + w1*x1 + w2; f = 1.0 / (1 + exp(-dot))", w0=2, x0=-1, w1=-3, x1=-2, w2=-3)
    assert r.value == pytest.approx(0.7310585786300049, abs=1e-15)
    assert r.gradients["w0"] == pytest.approx(-0.19661193324148185, abs=1e-15)
    assert [n.id for n in r.nodes if n.op == "dot"] == []
    assert any("'dot' is a variable here" in note for note in r.notes)
    # dot(a, b) still calls the function, even next to a variable named dot
    r = backcalc.grad("dot = a * 2; dot(u, v) + dot", a=1, u=[1, 2], v=[3, 4])
    assert r.value == 13.0 and r.gradients["a"] == 2.0
    # given a value, a function name is an input; not given and not called, it is an error
    assert backcalc.grad("exp * 2", exp=3).gradients == {"exp": 2.0}
    assert err_of("exp").message == "'exp' is a function; call it as exp(...)"
    assert backcalc.grad("exp = x; exp", x=4).value == 4.0


def test_keyword_arguments_get_a_hint():
    assert err_of("max(x, y=1)").hint == "keyword arguments are not supported"


def test_unknown_function_suggests_a_close_name():
    assert err_of("sigmod(x)").hint.startswith("did you mean sigmoid(...)?")


def test_python_code_is_never_run():
    for expr in [
        "__import__('os').system('echo hi')",
        "open('/etc/passwd')",
        "eval('1')",
        "(lambda: 1)()",
        "x.__class__",
        "exec('x')",
        "globals()",
    ]:
        with pytest.raises(BackcalcError):
            backcalc.grad(expr, x=1)


def test_missing_value_message_lists_what_was_given():
    e = err_of("x * w", x=1)
    assert e.message == "no value for 'w'. Give one as w=VALUE (values given: x)."
    assert e.render().splitlines()[2] == "      ^"


def test_multiline_errors_report_line_and_column():
    e = err_of("q = x + y\nf = q * (z")
    assert e.message == "expected ')' to close '(' at line 2, column 9"


def test_every_operator_in_the_syntax_table_builds_its_op_with_its_precedence():
    from backcalc import syntax
    from backcalc.engine import compile_text

    for sym, o in syntax.BINARY.items():
        g = compile_text(f"x {sym} y")
        assert g.ops[g.output].name == o.op, sym
    for sym, o in syntax.UNARY.items():
        g = compile_text(f"{sym}x")
        assert g.ops[g.output].name == o.op, sym
    # '^' is '**': the same binding, the same op, printed as '**'
    assert syntax.BINARY["^"].prec == syntax.BINARY["**"].prec and syntax.symbol_of("pow") == "**"
    g = compile_text("-x ** 2")  # unary binds looser than '**'
    assert g.ops[g.output].name == "neg"
