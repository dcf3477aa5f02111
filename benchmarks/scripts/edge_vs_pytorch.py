#!/usr/bin/env python3
"""PyTorch side of edge-vs-pytorch.sh: an fftk ffnn ONNX file run the way paper 003's Python library
predicts, one forward pass per candidate label (x concatenated with the label's one-hot vector), on
one thread. Numerics as docs/algorithms.md "FF layer" and "Prediction": each layer reads its input
normalised, h = relu(W·v / (|v| + eps) + b), goodness softplus(mean h^2 - theta), score = sum over
layers, label = argmin (minimize) or argmax. Prints the labels of the first N images (checked
against the edge jar by the shell script) and the median milliseconds per call at each batch size.

usage: edge_vs_pytorch.py MODEL.onnx IMAGES.idx[.gz] N BATCH... > labels  (timings on stderr)
"""
import gzip
import statistics
import struct
import sys
import time

import numpy as np
import onnx
import torch
from onnx import numpy_helper


def load(model_path):
    m = onnx.load(model_path)
    meta = {p.key: p.value for p in m.metadata_props}
    if meta.get("fftk.architecture") != "ffnn":
        sys.exit(f"{model_path}: only ffnn models are compared here")
    init = {t.name: torch.from_numpy(numpy_helper.to_array(t).astype(np.float32)) for t in m.graph.initializer}
    depth = len(meta["fftk.widths"].split(","))
    layers = [(init[f"layer{i}.weight"], init[f"layer{i}.bias"]) for i in range(depth)]
    return (layers, float(meta["fftk.theta"]), float(meta["fftk.norm_epsilon"]),
            meta["fftk.objective"] == "minimize", int(meta["fftk.num_labels"]))


def images(path, n):
    op = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with op(path, "rb") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        k = min(n, count)
        return torch.from_numpy(np.frombuffer(f.read(k * rows * cols), dtype=np.uint8)
                                .astype(np.float32).reshape(k, rows * cols) / 255.0)


def scores(x, layers, theta, eps, labels):
    """One pass per label over the whole batch: (batch, labels) goodness sums."""
    out = []
    for c in range(labels):
        onehot = torch.zeros(x.shape[0], labels)
        onehot[:, c] = 1.0
        v = torch.cat([x, onehot], dim=1)
        g = torch.zeros(x.shape[0], dtype=torch.float64)
        for w, b in layers:
            v = v / (v.norm(dim=1, keepdim=True) + eps)
            v = torch.relu(v @ w.T + b)
            g += torch.nn.functional.softplus((v * v).mean(dim=1) - theta).double()
        out.append(g)
    return torch.stack(out, dim=1)


def main():
    model, img, n, batches = sys.argv[1], sys.argv[2], int(sys.argv[3]), [int(b) for b in sys.argv[4:]]
    torch.set_num_threads(1)
    layers, theta, eps, minimize, labels = load(model)
    x = images(img, max(n, max(batches) * 16))
    with torch.inference_mode():
        s = scores(x[:n], layers, theta, eps, labels)
        pred = s.argmin(dim=1) if minimize else s.argmax(dim=1)
        sys.stdout.write("".join(f"{int(p)}\n" for p in pred))
        for b in batches:
            times = []
            for i in range(max(20, 2000 // b)):
                off = (i * b) % (x.shape[0] - b)
                t = time.perf_counter()
                scores(x[off:off + b], layers, theta, eps, labels)
                times.append(time.perf_counter() - t)
            times = times[len(times) // 5:]  # the first fifth is warm-up
            print(f"pytorch batch {b}: median {statistics.median(times) * 1e3:.3f} ms per call", file=sys.stderr)


if __name__ == "__main__":
    main()
