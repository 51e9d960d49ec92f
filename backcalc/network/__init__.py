"""Networks: a spec (layers, activations, loss) compiled to the graph ``grad`` uses, evaluated,
stepped and trained.

``spec`` reads and writes spec files, ``data`` reads training data, ``activations`` holds
the activations and losses, ``model`` compiles and evaluates a network, ``training`` trains it.
"""

from .model import (
    Compiled,
    Evaluation,
    LayerRecord,
    StepParam,
    StepRecord,
    compile_network,
    evaluate,
    gd_step,
    param_names,
    param_values,
    program,
)
from .training import Training, TrainingReport, train

__all__ = [
    "Compiled",
    "Evaluation",
    "LayerRecord",
    "StepParam",
    "StepRecord",
    "Training",
    "TrainingReport",
    "compile_network",
    "evaluate",
    "gd_step",
    "param_names",
    "param_values",
    "program",
    "train",
]
