#!/usr/bin/env python3
"""Per-layer goodness of an fftk ffcnn file, and what other ways of combining the layers would predict.

Not part of fftk (needs onnx, onnxruntime, numpy). Exposes each conv layer's Σ h² per label (the
ReduceSumSquare nodes of the exported graph that read a layer's Relu) as extra graph outputs, runs the
first N MNIST test images in ONNX Runtime, and prints the accuracy of: each layer alone, fftk's score
(the sum over layers >= 1), a per-layer softmax over the labels summed over layers >= 1 (paper 000's
prediction) at several temperatures, and per-layer z-scores (each layer's ten sums standardised).

usage: ffcnn_layer_scores.py MODEL.onnx [N=2000]      (FFTK_DATA or ../shared/datasets for MNIST)
"""
import gzip, os, sys
import numpy as np, onnx, onnxruntime as ort
from onnx import helper

D = os.path.join(os.environ.get('FFTK_DATA', '../shared/datasets'), 'mnist') + '/'
m = onnx.load(sys.argv[1])
# the first ReduceSumSquare reading each layer's Relu (the next layer's normalisation or the score;
# both are that layer's sum of h^2 over C, H, W): one [N*L, 1, 1, 1] output per layer
outs = []
relus = [n.output[0] for n in m.graph.node if n.op_type == 'Relu']
seen = set()
for n in m.graph.node:
    if n.op_type == 'ReduceSumSquare' and n.input[0] in relus and n.input[0] not in seen:
        seen.add(n.input[0])
        outs.append(n.output[0])
for o in outs:
    m.graph.output.append(helper.make_tensor_value_info(o, onnx.TensorProto.FLOAT, None))
s = ort.InferenceSession(m.SerializeToString())
x = np.frombuffer(gzip.open(D + 't10k-images-idx3-ubyte.gz').read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255
y = np.frombuffer(gzip.open(D + 't10k-labels-idx1-ubyte.gz').read(), np.uint8, offset=8)
n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
G = []
for i in range(0, n, 250):
    r = s.run(outs, {'image': x[i:i+250]})
    G.append(np.stack([v.reshape(-1, 10) for v in r]))
G = np.concatenate(G, 1)  # [layers, n, 10]
yy = y[:n]
print('layers', G.shape[0])
for l in range(G.shape[0]):
    print('layer', l, 'alone', (G[l].argmax(1) == yy).mean())
print('sum layers 1+', (G[1:].sum(0).argmax(1) == yy).mean())
def softmax(a, t):
    a = a / t
    a = a - a.max(1, keepdims=True); e = np.exp(a); return e / e.sum(1, keepdims=True)
for t in [0.1, 1, 10, 100, 1000]:
    print('softmax per layer T', t, (sum(softmax(G[l], t) for l in range(1, G.shape[0])).argmax(1) == yy).mean())
Z = (G - G.mean(2, keepdims=True)) / (G.std(2, keepdims=True) + 1e-9)
print('z-scored per layer, layers 1+', (Z[1:].sum(0).argmax(1) == yy).mean())
print('rel (G/mean) per layer, layers 1+', ((G / G.mean(2, keepdims=True))[1:].sum(0).argmax(1) == yy).mean())
