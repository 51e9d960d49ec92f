"""Write the values files of examples/cs231n from the notebooks' own setup cells.

Each cell below is copied from the cs231n assignment notebooks (names shortened where the
notebook computes a shape), run with numpy's legacy generator exactly as written, and its
arrays written to ``<layer>.toml`` as plain numbers, so ``backcalc grad ... --values
<layer>.toml`` works without reading Python.  tests/test_cs231n_examples.py runs this
script again and checks that the files are what it writes, and that backcalc's reading of
the ``setup-*.txt`` files (the same cells in the notebook's syntax, :data:`SETUP_FILES`)
gives these arrays bit for bit.

    python examples/cs231n/make_values.py [FOLDER]
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np


def affine() -> dict:
    # FullyConnectedNets.ipynb, "Affine layer: forward"
    x = np.linspace(-0.1, 0.5, num=240).reshape(2, 4, 5, 6)
    w = np.linspace(-0.2, 0.3, num=360).reshape(120, 3)
    b = np.linspace(-0.3, 0.1, num=3)
    return {"x": x, "w": w, "b": b}


def affine_backward() -> dict:
    # "Affine layer: backward"
    np.random.seed(231)
    x = np.random.randn(10, 2, 3)
    w = np.random.randn(6, 5)
    b = np.random.randn(5)
    dout = np.random.randn(10, 5)
    return {"x": x, "w": w, "b": b, "dout": dout}


def relu_forward() -> dict:
    # "ReLU activation: forward"
    x = np.linspace(-0.5, 0.5, num=12).reshape(3, 4)
    return {"x": x}


def relu() -> dict:
    # "ReLU activation: backward"
    np.random.seed(231)
    x = np.random.randn(10, 10)
    dout = np.random.randn(*x.shape)
    return {"x": x, "dout": dout}


def losses() -> dict:
    # "Loss layers: Softmax and SVM"
    np.random.seed(231)
    num_classes, num_inputs = 10, 50
    x = 0.001 * np.random.randn(num_inputs, num_classes)
    y = np.random.randint(num_classes, size=num_inputs)
    return {"x": x, "y": y}


def batchnorm() -> dict:
    # BatchNormalization.ipynb, "Batch normalization: backward"
    np.random.seed(231)
    N, D = 4, 5
    x = 5 * np.random.randn(N, D) + 12
    gamma = np.random.randn(D)
    beta = np.random.randn(D)
    dout = np.random.randn(N, D)
    return {"x": x, "gamma": gamma, "beta": beta, "dout": dout}


def spatial_batchnorm() -> dict:
    # ConvolutionalNetworks.ipynb, "Spatial batch normalization: backward"
    np.random.seed(231)
    N, C, H, W = 2, 3, 4, 5
    x = 5 * np.random.randn(N, C, H, W) + 12
    gamma = np.random.randn(C)
    beta = np.random.randn(C)
    dout = np.random.randn(N, C, H, W)
    return {"x": x, "gamma": gamma, "beta": beta, "dout": dout}


def dropout() -> dict:
    # Dropout.ipynb, "Dropout: backward" (p = 0.2, seed = 123 are written in the expression)
    np.random.seed(231)
    x = np.random.randn(10, 10) + 10
    dout = np.random.randn(*x.shape)
    return {"x": x, "dout": dout}


def conv() -> dict:
    # ConvolutionalNetworks.ipynb, "Convolution: Naive forward pass" (stride 2, pad 1)
    x = np.linspace(-0.1, 0.5, num=96).reshape(2, 3, 4, 4)
    w = np.linspace(-0.2, 0.3, num=144).reshape(3, 3, 4, 4)
    b = np.linspace(-0.1, 0.2, num=3)
    return {"x": x, "w": w, "b": b}


def conv_backward() -> dict:
    # "Convolution: Naive backward pass" (stride 1, pad 1)
    np.random.seed(231)
    x = np.random.randn(4, 3, 5, 5)
    w = np.random.randn(2, 3, 3, 3)
    b = np.random.randn(2)
    dout = np.random.randn(4, 2, 5, 5)
    return {"x": x, "w": w, "b": b, "dout": dout}


def maxpool() -> dict:
    # "Max-Pooling: Naive forward" (2 x 2 pools, stride 2)
    return {"x": np.linspace(-0.3, 0.4, num=96).reshape(2, 3, 4, 4)}


def maxpool_backward() -> dict:
    # "Max-Pooling: Naive backward" (2 x 2 pools, stride 2)
    np.random.seed(231)
    x = np.random.randn(3, 2, 8, 8)
    dout = np.random.randn(3, 2, 4, 4)
    return {"x": x, "dout": dout}


CELLS = {
    "affine": affine,
    "affine_backward": affine_backward,
    "relu_forward": relu_forward,
    "relu": relu,
    "losses": losses,
    "batchnorm": batchnorm,
    "spatial_batchnorm": spatial_batchnorm,
    "dropout": dropout,
    "conv": conv,
    "conv_backward": conv_backward,
    "maxpool": maxpool,
    "maxpool_backward": maxpool_backward,
}

# The same cells in the notebook's own syntax, as a student pastes them (backcalc grad ...
# --setup FILE): each file and the cell whose numbers it must give, bit for bit.
SETUP_FILES = {
    "setup-affine-forward.txt": "affine",
    "setup-affine-backward.txt": "affine_backward",
    "setup-relu-forward.txt": "relu_forward",
    "setup-relu-backward.txt": "relu",
    "setup-losses.txt": "losses",
    "setup-batchnorm-backward.txt": "batchnorm",
    "setup-layernorm-backward.txt": "batchnorm",  # the notebook's layernorm cell draws the same numbers
    "setup-spatial-batchnorm-backward.txt": "spatial_batchnorm",
    "setup-dropout-backward.txt": "dropout",
    "setup-conv-forward.txt": "conv",
    "setup-conv-backward.txt": "conv_backward",
    "setup-maxpool-forward.txt": "maxpool",
    "setup-maxpool-backward.txt": "maxpool_backward",
}


def _toml(v: np.ndarray) -> str:
    if v.ndim == 0:
        return repr(float(v))
    if v.ndim == 1:
        return "[" + ", ".join(repr(float(e)) if v.dtype.kind == "f" else str(int(e)) for e in v) + "]"
    return "[" + ", ".join(_toml(r) for r in v) + "]"


def text(name: str) -> str:
    values = CELLS[name]()
    lines = [f"# {name}: written by make_values.py from the notebook's setup cell (do not edit)"]
    lines += [f"{k} = {_toml(np.asarray(v))}" for k, v in values.items()]
    return "\n".join(lines) + "\n"


def main(folder: str) -> None:
    out = pathlib.Path(folder)
    for name in CELLS:
        (out / f"{name}.toml").write_text(text(name))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(pathlib.Path(__file__).parent))
