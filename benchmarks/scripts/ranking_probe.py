#!/usr/bin/env python3
"""Why ranked neuron pruning collapses a paper-scale FFNN while random pruning does not.

A probe, not part of fftk (numpy; run with any Python that has numpy and onnx):

    benchmarks/scripts/ranking_probe.py MODEL.onnx [--train N] [--test N] [--seeds S] [--keep K,K]

MODEL.onnx is a dense two-layer fftk ffnn with the concat label encoding (e.g. the 2x2000 FFNN of
`benchmarks/scripts/train-paper.sh`). The forward pass is docs/algorithms.md "FF layer" and
"Prediction" re-written in float64 (checked: the unpruned model's accuracy on the test subset equals
the edge runtime's). Only layer 0 is pruned and only layer 0's own prediction is scored:
argmin_c of mean_{j in K} h_j(x, c)^2 (a minimize model). That prediction does not depend on the
goodness level (a monotone function of one layer's mean), so a criterion that loses here loses
because of *which* neurons it keeps, not because the mean over a subset shifts against theta.

Criteria, each choosing K of layer 0's neurons on N training images (never the test images):
- random: fftk's permutation idea (a seeded shuffle), several seeds;
- goodness: fftk's `goodness` ranking, each neuron's share of the gap E_neg[h^2] - E_pos[h^2];
- per-class: the same gap measured per true class, neurons taken round-robin over the classes;
- greedy: forward selection; each step adds the neuron that most lowers the cross-entropy of
  softmax(-G) over the labels, G the kept neurons' mean h^2, on the training images (nested).
Also printed: the kept neurons' redundancy, the mean absolute correlation between their h^2 over the
training images and labels.
"""
import argparse
import gzip
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

EPS = 1e-8


def idx(path):
    data = gzip.open(path).read()
    n = int.from_bytes(data[4:8], 'big')
    if data[3] == 3:
        return np.frombuffer(data[16:], np.uint8).reshape(n, -1) / 255.0
    return np.frombuffer(data[8:], np.uint8)


def layer0(W, b, X):
    """h^2 of layer 0 for every label: array labels x images x units."""
    d = X.shape[1]
    labels = W.shape[1] - d
    pre = X @ W[:, :d].T
    out = []
    for c in range(labels):
        norm = np.sqrt((X ** 2).sum(1, keepdims=True) + 1.0) + EPS
        out.append(np.maximum((pre + W[:, d + c]) / norm + b, 0) ** 2)
    return np.stack(out, 0)


def accuracy(H, y, K):
    g = H[:, :, K].mean(2)  # labels x images
    return (g.argmin(0) == y).mean()


def redundancy(H, K):
    a = H[:, :, K].reshape(-1, len(K))
    a = a - a.mean(0)
    sd = np.sqrt((a ** 2).mean(0)) + 1e-12
    c = (a.T @ a) / len(a) / np.outer(sd, sd)
    return np.abs(c[~np.eye(len(K), dtype=bool)]).mean()


def gap(H, y):
    n = len(y)
    pos = H[y, np.arange(n)]  # images x units
    neg = (H.sum(0) - pos) / (H.shape[0] - 1)
    return neg - pos  # minimize: positive data has low activity


def per_class(G, y, k):
    classes = np.unique(y)
    order = [list(np.argsort(-G[y == c].mean(0), kind='stable')) for c in classes]
    chosen, seen, ptr = [], set(), [0] * len(classes)
    while len(chosen) < k:
        for i in range(len(classes)):
            if len(chosen) == k:
                break
            while order[i][ptr[i]] in seen:
                ptr[i] += 1
            chosen.append(order[i][ptr[i]])
            seen.add(order[i][ptr[i]])
    return np.array(chosen)


def greedy(H, y, k):
    Hf = np.transpose(H, (1, 2, 0)).astype(np.float32)  # images x units x labels
    n = len(y)
    S = np.zeros((n, H.shape[0]), np.float32)
    free = np.ones(Hf.shape[1], bool)
    order = []
    for step in range(k):
        Z = -(S[:, None, :] + Hf) / (step + 1)
        Z -= Z.max(2, keepdims=True)
        ce = (np.log(np.exp(Z).sum(2)) - Z[np.arange(n), :, y]).mean(0)
        ce[~free] = np.inf
        j = int(ce.argmin())
        order.append(j)
        free[j] = False
        S += Hf[:, j, :]
    return np.array(order)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('model')
    p.add_argument('--train', type=int, default=1000, help='training images the criteria see')
    p.add_argument('--test', type=int, default=3000, help='test images scored')
    p.add_argument('--seeds', type=int, default=5, help='random seeds')
    p.add_argument('--keep', default='512,315,222,128')
    a = p.parse_args()
    data = os.environ.get('FFTK_DATA', os.path.join(os.path.dirname(__file__), '../../../shared/datasets'))
    m = onnx.load(a.model)
    init = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in m.graph.initializer}
    W, b = init['layer0.weight'], init['layer0.bias']
    mn = os.path.join(data, 'mnist')
    Xtr = idx(os.path.join(mn, 'train-images-idx3-ubyte.gz'))[:a.train]
    ytr = idx(os.path.join(mn, 'train-labels-idx1-ubyte.gz'))[:a.train].astype(int)
    Xte = idx(os.path.join(mn, 't10k-images-idx3-ubyte.gz'))[:a.test]
    yte = idx(os.path.join(mn, 't10k-labels-idx1-ubyte.gz'))[:a.test].astype(int)
    Htr, Hte = layer0(W, b, Xtr), layer0(W, b, Xte)
    units = W.shape[0]
    keeps = [int(k) for k in a.keep.split(',')]
    print(f'# {a.model}: layer 0 ({units} units) pruned, layer 0\'s own prediction on the first {a.test} '
          f'MNIST test images; criteria on the first {a.train} training images')
    print(f'# unpruned layer 0 alone: {100 * accuracy(Hte, yte, np.arange(units)):.2f}%')
    G = gap(Htr, ytr)
    ranked = np.argsort(-G.mean(0), kind='stable')
    greedy_order = greedy(Htr, ytr, max(keeps))
    print('| kept | random (mean ± sd, min–max) | goodness | per-class | greedy | redundancy: random / goodness / greedy |')
    print('|---|---|---|---|---|---|')
    for k in keeps:
        rs, rr = [], []
        for s in range(1, a.seeds + 1):
            K = np.random.default_rng(s).permutation(units)[:k]
            rs.append(accuracy(Hte, yte, K))
            rr.append(redundancy(Htr, K))
        rs = 100 * np.array(rs)
        pc = per_class(G, ytr, k)
        print(f'| {k} | {rs.mean():.2f} ± {rs.std(ddof=1):.2f} ({rs.min():.2f}–{rs.max():.2f}) '
              f'| {100 * accuracy(Hte, yte, ranked[:k]):.2f} | {100 * accuracy(Hte, yte, pc):.2f} '
              f'| {100 * accuracy(Hte, yte, greedy_order[:k]):.2f} '
              f'| {np.mean(rr):.3f} / {redundancy(Htr, ranked[:k]):.3f} / {redundancy(Htr, greedy_order[:k]):.3f} |',
              flush=True)


if __name__ == '__main__':
    sys.exit(main())
