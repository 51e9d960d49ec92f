"""backcalc step: one update of an update rule (sgd, sgd_momentum, rmsprop, adam), as cs231n's notebooks check it."""

from __future__ import annotations

import sys
from typing import Annotated, Any, Optional

import typer

from ..errors import BackcalcError, Msg
from .common import (
    Format,
    PrecisionOpt,
    console,
    format_option,
    guarded,
    pick_format,
    read_setup_option,
)
from .run import warn

SettingsArg = Annotated[
    Optional[list[str]],
    typer.Argument(
        metavar="NAME=VALUE...",
        help="help.step_values",
        show_default=False,
    ),
]
StepFormatOpt = Annotated[Optional[Format], format_option("help.format_table_json")]
RuleArg = Annotated[str, typer.Argument(metavar="RULE", help="help.step_rule", show_default=False)]
SetupOpt = Annotated[
    Optional[str],
    typer.Option(
        "--setup",
        metavar="FILE",
        show_default=False,
        help="help.step_setup",
        rich_help_panel="panel.setup",
    ),
]
WOpt = Annotated[str, typer.Option("--w", metavar="NAME", help="help.step_w", rich_help_panel="panel.setup")]
DwOpt = Annotated[
    str, typer.Option("--dw", metavar="NAME", help="help.step_dw", rich_help_panel="panel.setup")
]
ConfigOpt = Annotated[
    str, typer.Option("--config", metavar="NAME", help="help.step_config", rich_help_panel="panel.setup")
]


def step_cmd(
    rule: RuleArg,
    values: SettingsArg = None,
    setup: SetupOpt = None,
    w: WOpt = "w",
    dw: DwOpt = "dw",
    config: ConfigOpt = "config",
    format: StepFormatOpt = None,
    precision: PrecisionOpt = 8,
) -> None:
    """One update on its own: print the next w and the rule's new state (v; cache; m, v, t)."""

    def run() -> None:
        from ..network.optim import DEFAULTS, STATE, one_step
        from ..network.optim import rule as find_rule
        from ..values import read_value, split_assignments

        find_rule(rule)
        names: dict[str, Any] = {}
        configs: dict[str, Any] = {}
        if setup is not None:
            rec = read_setup_option(setup)
            for msg in rec.warnings:
                warn(msg)
            names.update(rec.values)
            configs.update(rec.configs)
        settings: dict[str, Any] = {}
        keys = set(DEFAULTS[rule]) | set(STATE[rule])
        for name, text in split_assignments(values or []).items():
            value = read_value(name, text)
            if name in keys:
                settings[name] = value
            elif name in (w, dw):
                names[name] = value
            else:
                raise BackcalcError(
                    Msg("step.unknown_name", rule=rule, name=name, w=w, dw=dw, keys=", ".join(sorted(keys)))
                )
        result = one_step(rule, names, configs, settings, w=w, dw=dw, config=config)
        fmt_ = pick_format(format, (Format.table, Format.json), "step")
        if fmt_ is Format.json:
            from ..render.json import dumps, to_plain

            doc = {
                "schema_version": 1,
                "rule": result.rule,
                "config": result.config,
                "next_w": to_plain(result.next_w),
                "state": to_plain(result.state),
            }
            sys.stdout.write(dumps(doc) + "\n")
            return
        from rich.text import Text

        from ..display import fmt

        def named(key: str, value: Any) -> str:
            head = f"{key} = "
            text = str(value) if key == "t" else fmt(value, precision)
            return head + text.replace("\n", "\n" + " " * len(head))

        settings_text = ", ".join(f"{k} = {v:g}" for k, v in result.config.items())
        lines = [f"{result.rule} ({settings_text})", named("next_w", result.next_w)]
        lines += [named(key, value) for key, value in result.state.items()]
        console().print(Text("\n".join(lines)))

    guarded(run)
