"""--roles 2017|2019: the lecture's two vocabularies in the table, JSON, pictures and explanations."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from backcalc import explanation as X
from backcalc import roles
from backcalc.cli import app
from backcalc.render import chain, dot

from picture_cases import run

runner = CliRunner()
BRANCH = ("x*y + x", {"x": 3.0, "y": 2.0})
SCHEMA = json.loads((Path(roles.__file__).parent / "schema" / "result.schema.json").read_text())


def _roles(r):
    return {n.id: n.role for n in r.nodes}


def test_2017_is_the_default_and_unchanged():
    r = run(*BRANCH)
    before = _roles(r)
    roles.apply(r, "2017")
    assert _roles(r) == before == {"x": None, "y": None, "n1": "switcher", "f": "distributor"}


def test_2019_says_swap_multiplier_and_copy_gate_at_a_fan_out():
    r = roles.apply(run(*BRANCH), "2019")
    assert _roles(r) == {"x": "copy", "y": None, "n1": "swap_multiplier", "f": "distributor"}
    r = roles.apply(run("(x+y)*(x+y)", {"x": 1.0, "y": 2.0}), "2019")
    assert "copy" in roles.parts(r.node("x").role)


def test_a_gate_that_fans_out_keeps_its_own_role_and_is_a_copy_gate():
    r = roles.apply(run("q = x + y; f = q * q", {"x": 1.0, "y": 2.0}), "2019")
    assert r.node("q").role == "distributor+copy"
    assert (
        roles.base("distributor+copy") == "distributor" and roles.colour_key("swap_multiplier") == "switcher"
    )


def test_unknown_vocabulary_is_an_error():
    from backcalc.errors import BackcalcError

    with pytest.raises(BackcalcError, match="2017, 2019"):
        roles.apply(run(*BRANCH), "2023")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_2019_words_in_the_localized_table_and_the_explanation(lang):
    r = roles.apply(run(*BRANCH), "2019")
    headers, rows = chain.text_table(r, lang)
    role = {row[0]: row[headers.index(X.Messages(lang)("col.role"))] for row in rows}
    assert role["n1"] == "swap multiplier" and role["x"] == "copy gate (gradient adder)"
    text = X.explain(r, lang)
    assert "swap multiplier" in text and "gradient adder" in text and "switcher" not in text


def test_untranslated_table_cell_reads_as_words():
    r = roles.apply(run("q = x + y; f = q * q", {"x": 1.0, "y": 2.0}), "2019")
    cells = {row.node: chain.role_cell(row) for row in chain.rows(r)}
    assert cells["q"] == "distributor, copy (gradient adder)" and cells["f"] == "swap multiplier"


def test_cli_grad_json_carries_the_2019_roles_and_validates():
    res = runner.invoke(app, ["grad", "x*y + x", "x=3", "y=2", "--roles", "2019", "-f", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert {n["id"]: n["role"] for n in doc["nodes"]}["n1"] == "swap_multiplier"
    assert doc["settings"]["roles"] == "2019"
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    res = runner.invoke(app, ["grad", "x*y + x", "x=3", "y=2", "-f", "json"])
    doc = json.loads(res.stdout)
    assert {n["id"]: n["role"] for n in doc["nodes"]}["n1"] == "switcher" and "roles" not in doc["settings"]


def test_the_schema_accepts_every_2019_role():
    node_role = SCHEMA["$defs"]["node"]["properties"]["role"]
    v = jsonschema.Draft202012Validator(node_role)
    for ok in (None, "switcher", "swap_multiplier", "copy", "distributor+copy", "swap_multiplier+copy"):
        assert v.is_valid(ok), ok
    for bad in ("swapper", "copy+copy", "gradient adder"):
        assert not v.is_valid(bad), bad


def test_picture_tags_and_colours_follow_the_vocabulary():
    r = roles.apply(run(*BRANCH), "2019")
    src = dot.to_dot(r, "en")
    assert "swap multiplier" in src and "gradient switcher" not in src
    assert dot.ROLE_COLOURS["switcher"] in src  # drawn in the switcher's colour


def test_cli_explain_and_graph_take_roles():
    res = runner.invoke(app, ["explain", "x*y + x", "x=3", "y=2", "--roles", "2019", "--lang", "ko"])
    assert res.exit_code == 0, res.output
    assert "곱셈 게이트, swap multiplier" in res.stdout and "copy gate" in res.stdout
    res = runner.invoke(app, ["graph", "x*y + x", "x=3", "y=2", "--roles", "2019"])
    assert res.exit_code == 0 and "swap multiplier" in res.stdout
    res = runner.invoke(app, ["grad", "x*y", "x=3", "y=2", "--roles", "2018"])
    assert res.exit_code == 2


def test_installed_backcalc_grad_roles_2019():
    exe = shutil.which("backcalc")
    res = subprocess.run(
        [exe, "grad", "x*y + x", "x=3", "y=2", "--roles", "2019", "-f", "json"],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert '"role": "swap_multiplier"' in res.stdout and '"role": "copy"' in res.stdout


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_2019_picture_tags_an_input_used_twice_as_a_copy_gate(lang):
    from backcalc.i18n import Messages

    r = roles.apply(run("x*x+x", {"x": 3}), "2019")
    src = dot.to_dot(r, lang)
    tag = Messages(lang).role_name("copy")
    assert src.count(tag) == 1 and "Σ 7 = 3 + 3 + 1" in src  # x, under its sum; no other node
    assert tag not in dot.to_dot(run("x*x+x", {"x": 3}), lang)  # 2017 draws no copy gate
