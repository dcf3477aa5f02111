#!/usr/bin/env python3
"""Feasibility probe for issue 10 (not part of fftk): can distillation from the 2x2000 FFNN make a
small ffnn-architecture model beat training small?

The student is the teacher pruned at random to K neurons per layer (the same start as `fftk prune
--method random`), then trained END TO END by backprop on softmax(-score), score(c) = sum over
layers of softplus(mean h^2 - theta) exactly as fftk predicts (docs/algorithms.md "Prediction"),
with loss (1 - alpha) * CE(-score, y) + alpha * T^2 * KL(softmax(-teacher/T) || softmax(-score/T)).
alpha = 0 is the same training without the teacher. Adam, batch 128, linear cooldown over the
second half. Teacher scores come from ONNX Runtime on the training split (first 54,000 images).

usage: distill_probe.py TEACHER.onnx K T ALPHA EPOCHS LR   (needs torch, onnx, onnxruntime)
Result (README, "Compression at paper scale"): K 315, 10 epochs, lr 1e-3: test 97.58% (T 2, alpha
0.5; T 8, alpha 0.9), 97.52% without the teacher.
"""
import gzip, os, sys, time
import numpy as np, onnx, onnxruntime as ort, torch
from onnx import numpy_helper

torch.set_num_threads(1)
teacher, K, T, alpha, epochs, lr = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
D = os.path.join(os.environ.get('FFTK_DATA', '../shared/datasets'), 'mnist') + '/'
def idx(f, off): return np.frombuffer(gzip.open(D + f).read(), np.uint8, offset=off)
X = idx('train-images-idx3-ubyte.gz', 16).reshape(-1, 784).astype(np.float32) / 255
Y = idx('train-labels-idx1-ubyte.gz', 8).astype(np.int64)
Xte = idx('t10k-images-idx3-ubyte.gz', 16).reshape(-1, 784).astype(np.float32) / 255
Yte = idx('t10k-labels-idx1-ubyte.gz', 8).astype(np.int64)
Xv, Yv, X, Y = X[54000:], Y[54000:], X[:54000], Y[:54000]

m = onnx.load(teacher)
meta = {p.key: p.value for p in m.metadata_props}
assert meta['fftk.architecture'] == 'ffnn' and meta['fftk.objective'] == 'minimize'
theta = float(meta['fftk.theta'])
w = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
sess = ort.InferenceSession(teacher)
St = np.concatenate([sess.run(['scores'], {'image': X[i:i + 1000]})[0] for i in range(0, len(X), 1000)])

r = np.random.RandomState(1)
k1, k2 = (np.sort(r.permutation(w['layer0.weight'].shape[0])[:K]) for _ in range(2))
P = lambda a: torch.nn.Parameter(torch.tensor(np.ascontiguousarray(a)))
W1, b1 = P(w['layer0.weight'][k1]), P(w['layer0.bias'][k1])
W2, b2 = P(w['layer1.weight'][k2][:, k1]), P(w['layer1.bias'][k2])

def scores(x):
    n = torch.sqrt((x * x).sum(1, keepdim=True) + 1) + 1e-4          # ||x (+) e_c|| + eps, the same for every c
    h = torch.relu(((x @ W1[:, :784].T)[:, None, :] + W1[:, 784:].T[None]) / n[:, :, None] + b1)
    s = torch.nn.functional.softplus((h * h).mean(2) - theta)
    h = torch.relu(h / (h.norm(dim=2, keepdim=True) + 1e-4) @ W2.T + b2)
    return s + torch.nn.functional.softplus((h * h).mean(2) - theta)

def acc(x, y):
    with torch.no_grad():
        return (scores(torch.tensor(x)).argmin(1).numpy() == y).mean()

g = torch.Generator().manual_seed(1)
opt = torch.optim.Adam([W1, b1, W2, b2], lr=lr)
Xt, Yt, Stt = torch.tensor(X), torch.tensor(Y), torch.tensor(St)
print('pruned start: validation', acc(Xv, Yv), flush=True)
for e in range(epochs):
    for group in opt.param_groups:
        group['lr'] = lr * min(1.0, 2 * (epochs - e) / epochs)
    perm = torch.randperm(len(X), generator=g)
    for i in range(0, len(X), 128):
        j = perm[i:i + 128]
        s = scores(Xt[j])
        loss = (1 - alpha) * torch.nn.functional.cross_entropy(-s, Yt[j])
        if alpha > 0:
            loss = loss + alpha * T * T * torch.nn.functional.kl_div(
                torch.log_softmax(-s / T, 1), torch.softmax(-Stt[j] / T, 1), reduction='batchmean')
        opt.zero_grad(); loss.backward(); opt.step()
    print('epoch', e + 1, 'validation', acc(Xv, Yv), flush=True)
print(f'K {K} T {T} alpha {alpha}: validation {acc(Xv, Yv):.4f} test {acc(Xte, Yte):.4f}')
