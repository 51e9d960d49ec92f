"""The fast paths of issue 11 give the same answers as the plain ones: the parser's shared
leaves and lazy spans, results whose records are made when read, JSON written as a
stream, and deep chains that stop at the nesting limit instead of running for seconds."""

from __future__ import annotations

import json

import pytest
from test_hostile import clean_error, run

import backcalc
from backcalc import BackcalcError
from backcalc.limits import LIMITS, PRETTY_MAX
from backcalc.parse import parse
from backcalc.render.json import dumps, result_document, result_json


def test_a_name_used_twice_is_one_node_and_each_use_keeps_its_own_span():
    src = "(x)*y + x*z"
    prog = parse(src)
    assert prog.kinds.count("name") == 3  # x, y, z: one node each
    r = backcalc.grad(src, x=2, y=3, z=4)
    texts = {n.formula: n.text for n in r.nodes if n.op == "mul"}
    assert texts == {"x * y": "(x)*y", "x * z": "x*z"}
    assert r.node("x").span == (1, 2)  # the first use
    assert r.gradients == {"x": 7.0, "y": 2.0, "z": 2.0}


def test_error_spans_are_exact_after_the_lazy_position_pass():
    with pytest.raises(BackcalcError) as e:
        backcalc.grad("q = x + y ;  f = q * (z +", x=1, y=2, z=3)
    assert e.value.message == "the expression ended where a value was expected"
    assert e.value.span == (25, 25)
    with pytest.raises(BackcalcError) as e:
        backcalc.grad("a  +  b  c", a=1, b=2, c=3)
    assert e.value.message == "missing operator before 'c'" and e.value.span == (9, 10)
    assert e.value.hint == "write 'b * c' for a product"


def test_records_are_made_only_when_read():
    r = backcalc.grad("(x+y)*z", x=-2, y=5, z=-4)
    assert r.nodes._items is None  # the value and the gradients need no records
    assert r.gradients == {"x": -4.0, "y": -4.0, "z": 3.0} and len(r.nodes) == 5
    assert r.nodes._items is None
    assert [n.grad for n in r.nodes] == [-4.0, -4.0, -4.0, 3.0, 1.0]
    assert r.nodes[1:3] == [r.node("y"), r.nodes[2]] and r.nodes == list(r.nodes)


def test_large_json_is_streamed_and_equals_the_document():
    expr = "+".join(f"x{i % 50}*y{i % 37}" for i in range(PRETTY_MAX))  # over PRETTY_MAX nodes
    values = {**{f"x{i}": i / 10 for i in range(50)}, **{f"y{i}": -i / 3 for i in range(37)}}
    r = backcalc.grad(expr, values)
    assert len(r.nodes) > PRETTY_MAX
    text = result_json(r)
    assert text == dumps(result_document(r), indent=None)
    doc = json.loads(text)
    assert len(doc["nodes"]) == len(r.nodes) and doc["gradients"]["x3"] == r.gradients["x3"]
    small = backcalc.grad("(x+y)*z", x=-2, y=5, z=-4)
    assert result_json(small) == dumps(result_document(small), indent=2)


@pytest.mark.parametrize("chain", ["-" * 1_000_000 + "x", "2**" * 400_000 + "x"])
def test_a_million_signs_stop_at_the_nesting_limit(chain, tmp_path):
    with pytest.raises(BackcalcError, match=f"nesting deeper than {LIMITS.max_depth:,} levels"):
        backcalc.grad(chain, x=1)
    f = tmp_path / "chain.txt"
    f.write_text(chain)
    assert "nesting deeper than" in clean_error(run(["grad", f"@{f}", "x=1"]))


def test_chains_within_the_limit_work():
    r = backcalc.grad("-" * 1001 + "x", x=2)
    assert r.value == -2.0 and r.gradients == {"x": -1.0}


@pytest.mark.parametrize(
    "expr, message",
    [
        # a refused character or name anywhere is reported first, as when the whole text
        # was tokenized before parsing
        ("sum(x; 2 - −x", "unexpected character '−' (U+2212)"),
        ("max(y, z; _a", "names may not start with '_' (got '_a')"),
        # an error at a node comes after the checks of the statements before it
        ("x\ndot", "this statement's value is never used; name it (q = ...) or remove it"),
        ("q = x; q = y; foo(z)", "'q' is assigned twice"),
    ],
)
def test_errors_come_in_reading_order(expr, message):
    with pytest.raises(BackcalcError) as e:
        backcalc.grad(expr, x=1, y=2, z=3)
    assert e.value.message == message


def test_missing_operator_hint_quotes_the_operand_before():
    with pytest.raises(BackcalcError) as e:
        backcalc.grad("2 *2 y", y=1)
    assert e.value.hint == "write '2 * y' for a product"
    with pytest.raises(BackcalcError) as e:
        backcalc.grad("x + (#c\npi) 2", x=1)
    assert e.value.hint == "write 'pi) * 2' for a product"


def test_a_run_leaves_its_objects_out_of_the_young_generation():
    import gc

    expr = "+".join(f"x{i % 50}*y{i % 37}" for i in range(5000))
    values = {**{f"x{i}": 1.0 for i in range(50)}, **{f"y{i}": 2.0 for i in range(37)}}
    assert gc.isenabled()
    threshold = gc.get_threshold()
    gc.set_threshold(10**9)  # no automatic collection: see where the run's objects are
    try:
        gc.collect()
        r = backcalc.grad(expr, values)
        assert gc.isenabled()
        young = len(gc.get_objects(0))
    finally:
        gc.set_threshold(*threshold)
    assert young < 1000, young  # not the run's ~30,000 tuples: the next collection is cheap
    assert r.value == 10000.0


def test_the_collector_is_back_on_when_an_exact_run_outlives_its_time_limit(monkeypatch):
    import gc
    import time

    from backcalc import exact as E

    monkeypatch.setattr(E, "number", lambda *a, **k: time.sleep(3))  # the thread runs on
    assert gc.isenabled()
    r = backcalc.grad("x", {"x": "1"}, exact=True, timeout=0.2)
    assert r.exact.complete is False
    assert gc.isenabled()  # the caller's pause ended with the caller's wait
