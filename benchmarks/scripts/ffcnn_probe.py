#!/usr/bin/env python3
"""Independent PyTorch re-implementation of fftk's FF-CNN training step (issue 14; not part of fftk).

Written from docs/algorithms.md "FF-CNN" to tell a training bug from a hard optimisation problem:
three conv layers (padding k//2), each input divided by its RMS, ReLU; per layer
z = N*(mean h^2 - theta) (form=sum, paper 002) or mean h^2 - theta (form=mean); loss softplus(-s*z)
on positives and softplus(s*z) on negatives (s = +1 maximize, -1 minimize), or with form=pair paper
000's pairwise loss softplus(s*sc*(g_neg - g_pos)) on g = mean h^2 of each image's two passes (fftk's
--ff-loss pairwise --pair-scale sc --goodness mean), the gradient stopped
between layers; Adam, batch 50; the label pattern mixed in as (1-K)*x + K*p_c (zm=1: x + K*(p_c - 1/2)).
The patterns are read from an fftk ffcnn model file (initializer label.patterns). Validation:
1,000 MNIST training images after the first 50,000, score = sum of h^2 of layers 2 and 3.

usage: ffcnn_probe.py MODEL.onnx [K=0.35] [lr=3e-3] [F=8] [k=5] [s=1,1,1] [form=sum|mean|pair] [sc=10] [th=1]
                       [obj=max|min] [zm=0|1] [ep=3] [n=10000] [neg=rand|hard|mix] [shift=0]
neg=hard takes as each image's negative the wrong label the network currently scores best (layers 2+,
no gradient; 10 extra forward passes per batch), neg=mix for half of the images (the others random); shift=S translates each training image by up to S
pixels in x and y (zero fill) before the label pattern is mixed in.
Needs torch, onnx, numpy; FFTK_DATA or ../shared/datasets for MNIST.
"""
import gzip, os, sys, time
import numpy as np, onnx, torch
from onnx import numpy_helper

torch.set_num_threads(1)
torch.manual_seed(1)
D = os.path.join(os.environ.get('FFTK_DATA', '../shared/datasets'), 'mnist') + '/'
def idx(f, off): return np.frombuffer(gzip.open(D + f).read(), np.uint8, offset=off)
X = torch.tensor(idx('train-images-idx3-ubyte.gz', 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
Y = torch.tensor(idx('train-labels-idx1-ubyte.gz', 8).astype(np.int64))
m = onnx.load(sys.argv[1])
P = torch.tensor(numpy_helper.to_array([i for i in m.graph.initializer if i.name == 'label.patterns'][0]))
a = dict(s.split('=') for s in sys.argv[2:])
K, lr, F, k = float(a.get('K', 0.35)), float(a.get('lr', 3e-3)), int(a.get('F', 8)), int(a.get('k', 5))
form, th, ep, n = a.get('form', 'sum'), float(a.get('th', 1)), int(a.get('ep', 3)), int(a.get('n', 10000))
sg = -1.0 if a.get('obj', 'max') == 'min' else 1.0
zm = a.get('zm', '0') == '1'
strides = [int(v) for v in a.get('s', '1,1,1').split(',')]
sc = float(a.get('sc', 10))
neg, shift = a.get('neg', 'rand'), int(a.get('shift', 0))
if zm:
    P = P - 0.5
Xt, Yt, Xv, Yv = X[:n], Y[:n], X[50000:51000], Y[50000:51000]
convs = torch.nn.ModuleList([torch.nn.Conv2d(1 if l == 0 else F, F, k, stride=strides[l], padding=k // 2) for l in range(3)])
opt = torch.optim.Adam(convs.parameters(), lr=lr)

def mix(x, c):
    return x + K * P[c] if zm else (1 - K) * x + K * P[c]

def layers(x):
    hs = []
    for cv in convs:
        x = x / (x.pow(2).mean((1, 2, 3), keepdim=True).sqrt() + 1e-4)
        x = torch.relu(cv(x))
        hs.append(x)
        x = x.detach()
    return hs

def z(h):
    g = h.pow(2).mean((1, 2, 3)) - th
    return g * h[0].numel() if form == 'sum' else g

def scores(x):
    with torch.no_grad():
        S = torch.zeros(len(x), 10)
        for c in range(10):
            S[:, c] = sg * sum(h.pow(2).sum((1, 2, 3)) for h in layers(mix(x, torch.full((len(x),), c)))[1:])
        return S

def accuracy():
    return (scores(Xv).argmax(1) == Yv).float().mean().item()

def translate(x):
    if shift == 0:
        return x
    out = torch.zeros_like(x)
    dx, dy = torch.randint(-shift, shift + 1, (2, len(x)))
    for b in range(len(x)):
        u, v = int(dy[b]), int(dx[b])
        out[b, :, max(u, 0):28 + min(u, 0), max(v, 0):28 + min(v, 0)] = x[b, :, max(-u, 0):28 + min(-u, 0), max(-v, 0):28 + min(-v, 0)]
    return out

for e in range(ep):
    t, perm, total = time.time(), torch.randperm(n), 0.0
    for i in range(0, n, 50):
        j = perm[i:i + 50]
        y, xb = Yt[j], translate(Xt[j])
        wrong = (y + 1 + torch.randint(0, 9, y.shape)) % 10
        if neg in ('hard', 'mix'):
            S = scores(xb)
            S[torch.arange(len(y)), y] = -float('inf')
            hard = S.argmax(1)
            wrong = hard if neg == 'hard' else torch.where(torch.rand(len(y)) < 0.5, hard, wrong)
        if form == 'pair':
            loss = sum(torch.nn.functional.softplus(sg * sc * (q.pow(2).mean((1, 2, 3)) - p.pow(2).mean((1, 2, 3)))).mean()
                       for p, q in zip(layers(mix(xb, y)), layers(mix(xb, wrong))))
        else:
            loss = sum(torch.nn.functional.softplus(-sg * z(p)).mean() + torch.nn.functional.softplus(sg * z(q)).mean()
                       for p, q in zip(layers(mix(xb, y)), layers(mix(xb, wrong)))) / 2
        opt.zero_grad(); loss.backward(); opt.step()
        total += loss.item()
    print(a, 'epoch', e + 1, 'loss %.3f' % (total / (n / 50)), 'validation %.3f' % accuracy(), '%.0f s' % (time.time() - t), flush=True)
