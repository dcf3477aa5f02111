"""Train tiny FFLib models and save them the way FFLib users do, for fftk's import tests.

For each kind (FFNet, FFC, FFRNN, ff-research's BP network) this trains a small network on part
of MNIST with FFLib's own classes and suites, saves it with the suite's `save` (torch.save of the
suite's dict, the network pickled whole), and writes beside it what FFLib computes on the first N
MNIST test images:

  NAME.pt           the checkpoint, as FFLib writes it
  NAME.scores.bin   float32 little-endian [N, 10]: per-label scores (see below)
  NAME.json         N, FFLib's predicted labels, and what the scores are

Scores, per kind, as fftk defines them (docs/algorithms.md "Importing FFLib checkpoints"):
  ffnet  FFLib's TryAllClasses probe: per label, sum over layers of softplus(mean(h^2) - theta)
  ffc    the classifier's logits on image + zero label (FFLib's FFC takes a ReLU of these before
         the argmax; its labels are stored as FFLib predicts them)
  ffrnn  FFLib starts from random U(0,1) states; the import starts from their mean 0.5. The scores
         are FFLib's own forward with its start states set to 0.5 (summed where FFLib averages);
         FFLib's own random-start predictions for five seeds are stored for the agreement report.
  bp     the logits

Not part of fftk: run by benchmarks/scripts/fflib-fixtures.sh with FFLib on sys.path.
"""
import argparse
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 0x803:
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, 784)
    return np.frombuffer(data, np.uint8, offset=8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fflib", required=True, help="FFLib checkout (its src/ goes on sys.path)")
    ap.add_argument("--data", required=True, help="folder with mnist/*.gz")
    ap.add_argument("--out", required=True)
    ap.add_argument("--images", type=int, default=300)
    ap.add_argument("--train", type=int, default=20000)
    ap.add_argument("--epochs", type=int, default=5)
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.fflib, "src"))

    from torch.utils.data import DataLoader, TensorDataset
    from fflib.utils.data.dataprocessor import FFDataProcessor
    from fflib.nn.ff_linear import FFLinear
    from fflib.nn.ff_net import FFNet
    from fflib.nn.ffc import FFC
    from fflib.nn.ff_rnn import FFRNN
    from fflib.probes.one_hot import TryAllClasses
    from fflib.utils.ff_suite import FFSuite
    from fflib.utils.ffc_suite import FFCSuite
    from fflib.utils.ffrnn_suite import FFRNNSuite
    from fflib.utils.bp_suite import BPSuite
    from fflib.interfaces.iff import IFF

    m = os.path.join(a.data, "mnist")
    xtr = torch.tensor(idx(os.path.join(m, "train-images-idx3-ubyte.gz"))[: a.train], dtype=torch.float32) / 255
    ytr = torch.tensor(idx(os.path.join(m, "train-labels-idx1-ubyte.gz"))[: a.train], dtype=torch.int64)
    xte = torch.tensor(idx(os.path.join(m, "t10k-images-idx3-ubyte.gz"))[: a.images], dtype=torch.float32) / 255
    yte = torch.tensor(idx(os.path.join(m, "t10k-labels-idx1-ubyte.gz"))[: a.images], dtype=torch.int64)

    class Mnist(FFDataProcessor):
        """FFLib's FFMNIST without torchvision: pixels / 255, flattened, random wrong labels."""

        def __init__(self):
            g = torch.Generator().manual_seed(1)
            n = len(ytr) * 9 // 10
            self.train = DataLoader(TensorDataset(xtr[:n], ytr[:n]), batch_size=64, shuffle=True, generator=g)
            self.val = DataLoader(TensorDataset(xtr[n:], ytr[n:]), batch_size=256)
            self.test = DataLoader(TensorDataset(xte, yte), batch_size=256)

        def get_input_shape(self):
            return torch.Size((784,))

        def get_output_shape(self):
            return torch.Size((10,))

        def get_train_loader(self):
            return self.train

        def get_val_loader(self):
            return self.val

        def get_test_loader(self):
            return self.test

        def get_all_loaders(self):
            return {"train": self.train, "val": self.val, "test": self.test}

        def encode_output(self, y):
            return torch.nn.functional.one_hot(y, num_classes=10).float()

        def combine_to_input(self, x, y):
            return torch.cat((x, y), 1)

        def generate_negative(self, x, y, net):
            r = torch.rand((x.shape[0], 10))
            r[torch.arange(x.shape[0]), y] = 0
            return x, torch.nn.functional.one_hot(r.argmax(1), num_classes=10).float()

    data = Mnist()
    os.makedirs(a.out, exist_ok=True)

    def write(name, suite, scores, labels, what, extra=None):
        path = suite.save(os.path.join(a.out, name + ".pt"))
        s = scores.detach().to(torch.float32).numpy()
        assert s.shape == (a.images, 10)
        s.astype("<f4").tofile(os.path.join(a.out, name + ".scores.bin"))
        meta = {"images": a.images, "source": "first %d MNIST test images" % a.images,
                "scores": what, "fflib_labels": [int(v) for v in labels],
                "fflib_test_accuracy": float((labels == yte).float().mean())}
        meta.update(extra or {})
        with open(os.path.join(a.out, name + ".json"), "w") as f:
            json.dump(meta, f, indent=1)
        print("%s: %d bytes, FFLib accuracy on the %d images %.3f" % (path, os.path.getsize(path), a.images,
                                                                      meta["fflib_test_accuracy"]))

    # FFNet, minimize (paper 003's setting), saved with its Adam state as FFLib's example does.
    torch.manual_seed(1)
    net = FFNet([FFLinear(794, 8, 2.0, 0.02), FFLinear(8, 8, 2.0, 0.02)], None, maximize=False)
    probe = TryAllClasses(lambda x, y: net(torch.cat((x, y), 1)), output_classes=10, maximize=False)
    suite = FFSuite(net, probe, data)
    suite.train(a.epochs)
    with torch.no_grad():
        write("ffnet", suite, probe.class_goodness(xte), probe.predict(xte),
              "TryAllClasses.class_goodness: per label, sum over layers of softplus(mean(h^2) - theta)")

    # FFC, maximize: FF layers one epoch, then the classifier one epoch; stripped like ff-research.
    torch.manual_seed(2)
    ffc = FFC([FFLinear(794, 8, 2.0, 0.02), FFLinear(8, 8, 2.0, 0.02)], classifier_lr=0.01)
    suite = FFCSuite(ffc, None, data)
    suite.train(a.epochs)
    suite.train_switch(True)
    suite.train(a.epochs)
    with torch.no_grad():
        x = torch.cat((xte, torch.zeros(a.images, 10)), 1)
        feats = []
        for layer in ffc.layers:
            x = layer(x)
            feats.append(x)
        logits = ffc.classifier(torch.cat(feats, 1))
        labels = suite._test(xte)
        nonpos = int((logits <= 0).all(1).sum())
        ffc.strip_down()
        write("ffc", suite, logits, labels, "classifier logits on image + zero label (before FFLib's ReLU)",
              {"rows_all_logits_nonpositive": nonpos})

    # FFRNN, maximize, 784-8-8-10, beta 0.7, K_train 10, K_testlow 3, K_testhigh 8 (FFLib's example).
    torch.manual_seed(3)
    rnn = FFRNN.from_dimensions([784, 8, 8, 10], K_train=10, K_testlow=3, K_testhigh=8, maximize=True,
                                activation_fn=torch.nn.ReLU(), loss_threshold=2.0, optimizer=torch.optim.Adam,
                                lr=0.02, beta=0.7)
    probe = TryAllClasses(lambda x, y: rnn(x, y), output_classes=10, maximize=True)
    suite = FFRNNSuite(rnn, probe, data)
    suite.train(a.epochs)
    with torch.no_grad():
        # FFLib's own predictions from its random start, five draws
        own = []
        for seed in range(5):
            torch.manual_seed(100 + seed)
            own.append(probe.predict(xte))
        # FFLib's own forward with its random start states replaced by their mean 0.5 (the import's
        # start state): torch.nn.init.uniform_ fills 0.5 while it runs. FFLib averages the goodness
        # over layers and counted frames; fftk sums, so the scores are FFLib's times that count.
        lo, hi = rnn.K_testlow + 2, rnn.K_testhigh
        count = (len(rnn.layers) - 2) * (rnn.K_testhigh - rnn.K_testlow - 1)
        uniform = torch.nn.init.uniform_
        torch.nn.init.uniform_ = lambda h, *args, **kw: h.fill_(0.5)
        try:
            scores = probe.class_goodness(xte) * count
        finally:
            torch.nn.init.uniform_ = uniform
        det = scores.argmax(1)
        agree = [float((o == det).float().mean()) for o in own]
        among = [float((own[i] == own[j]).float().mean()) for i in range(5) for j in range(i + 1, 5)]
        rnn.strip_down()
        write("ffrnn", suite, scores, own[0],
              "FFLib's forward with start states 0.5 instead of U(0,1) draws, times %d: the sum of softplus over "
              "fftk frames %d..%d" % (count, lo, hi),
              {"frames": [lo, hi], "fflib_labels_seeds": [[int(v) for v in o] for o in own],
               "agreement_fftk_vs_fflib": agree, "agreement_fflib_vs_fflib": among,
               "fftk_accuracy": float((det == yte).float().mean())})

    # ff-research's BP baseline (prunability/bp.py): Flatten, Linear, ReLU, Linear, ReLU, Linear,
    # defined in the training script, so its pickle names __main__.BPDenseNet.
    torch.manual_seed(4)
    global BPDenseNet
    bp = BPDenseNet(0.001, 8)
    suite = BPSuite(bp, data)
    suite.train(a.epochs)
    bp.strip_down()
    with torch.no_grad():
        logits = bp(xte)
        write("bp", suite, logits, logits.argmax(1), "logits")
    # a state_dict alone (what many PyTorch users save): fftk must refuse it with a clear message
    torch.save(bp.layers[5].state_dict(), os.path.join(a.out, "state_dict.pt"))


def _bp_class():
    from fflib.interfaces.iff import IFF

    class BPDenseNet(IFF):
        def __init__(self, lr, neurons, in_features=784, out_features=10):
            super().__init__()
            self.lr = lr
            self.layers = torch.nn.Sequential(
                torch.nn.Flatten(), torch.nn.Linear(in_features, neurons), torch.nn.ReLU(),
                torch.nn.Linear(neurons, neurons), torch.nn.ReLU(), torch.nn.Linear(neurons, out_features))
            self.criterion = torch.nn.CrossEntropyLoss()
            self.opt = torch.optim.Adam(self.parameters(), lr)

        def get_layer_count(self):
            return 2

        def forward(self, x):
            return self.layers(x)

        def run_train_combined(self, x_pos, x_neg):
            raise NotImplementedError()

        def run_train(self, x_pos, y_pos, x_neg, y_neg):
            self.opt.zero_grad()
            self.criterion(self.forward(x_pos), y_pos).backward()
            self.opt.step()

        def strip_down(self):
            self.opt = None

    BPDenseNet.__module__ = "__main__"
    BPDenseNet.__qualname__ = "BPDenseNet"
    return BPDenseNet


if __name__ == "__main__":
    a0 = [v for i, v in enumerate(sys.argv) if i > 0 and sys.argv[i - 1] == "--fflib"]
    if a0:
        sys.path.insert(0, os.path.join(a0[0], "src"))
    BPDenseNet = _bp_class()
    main()
