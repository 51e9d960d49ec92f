"""Every JSON document backcalc writes (grad, net, train, check) validates against its
schema in backcalc/schema/, on the worked examples, through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from typer.testing import CliRunner

from backcalc.cli import app
from backcalc.render import json as J

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCHEMAS = {
    kind: json.loads((ROOT / "backcalc" / "schema" / name).read_text()) for kind, name in J.SCHEMAS.items()
}
REGISTRY = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema)) for schema in SCHEMAS.values()
)
VERSIONS = {
    "result": J.RESULT_SCHEMA_VERSION,
    "net": J.NET_SCHEMA_VERSION,
    "train": J.TRAIN_SCHEMA_VERSION,
    "check": J.CHECK_SCHEMA_VERSION,
}
runner = CliRunner()


def _doc(args: list[str], codes: tuple[int, ...] = (0,)) -> dict:
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code in codes, res.output
    return json.loads(res.stdout, parse_constant=lambda c: pytest.fail(f"non-strict token {c}"))


def _validate(doc: dict, kind: str) -> None:
    schema = SCHEMAS[kind]
    jsonschema.Draft202012Validator(schema, registry=REGISTRY).validate(doc)
    assert doc["schema_version"] == VERSIONS[kind] == schema["properties"]["schema_version"]["const"]


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_every_schema_is_a_valid_draft_2020_12_schema(kind):
    jsonschema.Draft202012Validator.check_schema(SCHEMAS[kind])
    assert SCHEMAS[kind]["$schema"] == "https://json-schema.org/draft/2020-12/schema"


GRAD_CASES = [
    ["(x+y)*z", "x=-2", "y=5", "z=-4"],
    ["x/3 + y**2", "x=1", "y=1/2", "--symbolic", "--exact"],
    ["max(x, y) * z", "x=1", "y=1", "z=2", "--check", "--expect", "x=1"],
    ["sum(relu(W @ x))", "W=[[1,-2],[3,4]]", "x=[0.5,1]", "--jacobian"],
    ["exp(x)", "x=1000"],
]


@pytest.mark.parametrize("args", GRAD_CASES, ids=lambda a: a[0])
def test_grad_document_matches_its_schema(args):
    _validate(_doc(["grad", *args]), "result")


NETS = sorted(str(p) for p in (EXAMPLES / "networks").glob("*.toml")) + [str(EXAMPLES / "xor.toml")]


@pytest.mark.parametrize("spec", NETS, ids=lambda p: Path(p).name)
def test_net_document_matches_its_schema(spec):
    doc = _doc(["net", spec])
    _validate(doc, "net")
    assert doc["layers"] and doc["result"]["schema_version"] == J.RESULT_SCHEMA_VERSION


def test_net_document_after_a_step_matches_its_schema(tmp_path):
    out = tmp_path / "stepped.toml"
    doc = _doc(["net", str(EXAMPLES / "networks" / "mazur.toml"), "--step", "--lr", "0.5", "-o", str(out)])
    _validate(doc, "net")
    assert doc["written"] == str(out) and doc["step"]["lr"] == 0.5
    assert doc["step"]["loss_after"] < doc["loss"]


@pytest.mark.parametrize(
    "extra",
    [[], ["--data", str(EXAMPLES / "xor.csv"), "--batch", "1"]],
    ids=["spec-data", "csv-data"],
)
def test_train_document_matches_its_schema(extra):
    doc = _doc(["train", str(EXAMPLES / "xor.toml"), "--epochs", "3", *extra])
    _validate(doc, "train")
    assert doc["epochs_run"] == 3 and len(doc["losses"]) == 3
    assert doc["network"]["layers"]


@pytest.mark.parametrize(
    "name, code",
    [("homework.toml", 0), ("homework-wrong.toml", 1), ("homework-malformed.toml", 2)],
)
def test_check_document_matches_its_schema(name, code):
    doc = _doc(["check", str(EXAMPLES / name)], codes=(code,))
    _validate(doc, "check")
    assert doc["summary"]["exit_code"] == code


def test_documents_from_dataclasses_and_dicts_are_the_same():
    from dataclasses import dataclass

    import numpy as np

    @dataclass
    class Inner:
        value: float
        grad: object

    @dataclass
    class Outer:
        name: str
        parts: list
        inner: Inner | None

    record = Outer("x", [1, 2.5, float("inf")], Inner(float("nan"), np.array([1.0, -np.inf])))
    as_dict = {
        "name": "x",
        "parts": [1, 2.5, float("inf")],
        "inner": {"value": float("nan"), "grad": np.array([1.0, -np.inf])},
    }
    want = {"name": "x", "parts": [1, 2.5, "Infinity"], "inner": {"value": "NaN", "grad": [1.0, "-Infinity"]}}
    assert J.to_plain(record) == J.to_plain(as_dict) == want
    assert json.loads(J.dumps(J.to_plain(record))) == want


def test_record_fields_can_rename_their_key_and_stay_out_while_none():
    from dataclasses import dataclass, field

    @dataclass
    class Check:
        passed: bool = field(metadata={"json": "pass"})
        too_large: str | None = field(default=None, metadata={"omit_none": True})
        error: str | None = None

    assert J.to_plain(Check(True)) == {"pass": True, "error": None}
    assert J.to_plain([Check(False, "over the limit")]) == [
        {"pass": False, "too_large": "over the limit", "error": None}
    ]
