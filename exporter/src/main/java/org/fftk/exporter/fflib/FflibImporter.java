package org.fftk.exporter.fflib;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.razorvine.pickle.objects.ClassDict;
import org.fftk.edge.data.DatasetName;
import org.fftk.edge.io.JsonText;
import org.fftk.edge.io.Sha256;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;

/**
 * Turns a checkpoint written by FFLib (paper 003's PyTorch library: {@code FFSuite.save}, i.e.
 * {@code torch.save} of a dict whose {@code net} is the pickled network object) into an fftk
 * {@link Model}: FFNet → ffnn, FFC → ffnn-c, FFRNN → ffrnn, and ff-research's backprop network
 * (a module holding a Sequential of Linear and ReLU layers) → bpnn. The mapping, and what differs
 * from FFLib's own prediction, is docs/algorithms.md "Importing FFLib checkpoints".
 */
public final class FflibImporter {
    /** FFLib's FFRNN start states are U(0, 1) draws; the imported model starts from their mean. */
    public static final float FFLIB_START_STATE = 0.5f;

    /** An imported model and what the user should know about it (one line each). */
    public static final class Result {
        private final Model model;
        private final String kind;
        private final List<String> notes;

        Result(Model model, String kind, List<String> notes) {
            this.model = model;
            this.kind = kind;
            this.notes = List.copyOf(notes);
        }

        public Model model() {
            return model;
        }

        /** FFLib's class name of the network (e.g. fflib.nn.ff_net.FFNet). */
        public String kind() {
            return kind;
        }

        public List<String> notes() {
            return notes;
        }
    }

    private final TorchCheckpoint ckpt;
    private final List<String> notes = new ArrayList<>();

    private FflibImporter(TorchCheckpoint ckpt) {
        this.ckpt = ckpt;
    }

    /**
     * Imports {@code file}. {@code dataset} (may be null) names the data the model was trained on;
     * it sets the number of labels (else 10, FFLib's MNIST, Fashion-MNIST and CIFAR-10) and the class names.
     */
    public static Result read(Path file, DatasetName dataset) throws IOException {
        TorchCheckpoint c = TorchCheckpoint.read(file);
        FflibImporter im = new FflibImporter(c);
        Object root = c.root();
        Object net = root;
        Map<?, ?> suite = null;
        if (root instanceof Map && !(root instanceof ClassDict)) {
            suite = (Map<?, ?>) root;
            if (!suite.containsKey("net")) {
                boolean tensors = !suite.isEmpty() && suite.values().stream().allMatch(v -> v instanceof RestrictedUnpickler.TensorRef);
                throw new IOException(file + (tensors
                        ? ": a state_dict only (tensors without the network); fftk import fflib needs the file FFLib's "
                                + "suite.save writes, which pickles the network itself"
                        : ": a dict without 'net' (not written by FFLib's suite.save)"));
            }
            net = suite.get("net");
        }
        if (!(net instanceof ClassDict)) {
            throw new IOException(file + ": holds no network object (found " + describe(net) + ")");
        }
        int labels = dataset == null ? 10 : dataset.numLabels();
        ClassDict n = (ClassDict) net;
        String cls = n.getClassName();
        Model.Builder b;
        switch (cls) {
            case "fflib.nn.ff_net.FFNet":
                b = im.ffnet(n, labels);
                break;
            case "fflib.nn.ffc.FFC":
                b = im.ffc(n, labels);
                break;
            case "fflib.nn.ff_rnn.FFRNN":
                b = im.ffrnn(n);
                break;
            default:
                b = im.backprop(n, cls);
                break;
        }
        Map<String, Object> prov = new java.util.LinkedHashMap<>();
        prov.put("importedFrom", "fflib");
        prov.put("fflibClass", cls);
        prov.put("file", file.getFileName().toString());
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            prov.put("sha256", Sha256.hex(in));
        }
        if (suite != null) {
            for (String k : new String[] {"current_epoch", "test_accuracy", "time_to_train", "date", "hidden_layers"}) {
                Object v = suite.get(k);
                if (v instanceof Number || v instanceof String) {
                    prov.put(k, v);
                }
            }
        }
        if (dataset != null) {
            b.dataset(dataset.id()).classes(dataset.classNames());
        }
        Model m;
        try {
            m = b.provenance(json(prov)).build();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (dataset != null && m.inputSize() != dataset.inputSize()) {
            throw new IOException(file + ": the network reads " + m.inputSize() + " image values, " + dataset.id()
                    + " has " + dataset.inputSize());
        }
        return new Result(m, cls, im.notes);
    }

    /** FFNet: layer_i = FFLinear (weight [out, in], bias), the label one-hot after the image. */
    private Model.Builder ffnet(ClassDict net, int labels) throws IOException {
        if (net.get("layer_range") != null) {
            throw new IOException(ckpt.file() + ": this FFNet predicts from a subset of its layers (layer_range); "
                    + "fftk's ffnn sums all layers");
        }
        List<ClassDict> layers = list(net.get("layers"), "layers");
        Objective obj = objective(net);
        List<DenseLayer> ls = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            ls.add(linear(layers.get(i), "layer " + i));
        }
        int d = ls.get(0).in() - labels;
        if (d <= 0) {
            throw new IOException(ckpt.file() + ": the first layer reads " + ls.get(0).in() + " values, not an image plus "
                    + labels + " labels");
        }
        return Model.builder(Architecture.FFNN).inputSize(d).numLabels(labels).layers(ls).theta(theta(layers))
                .objective(obj);
    }

    /** FFC: the FF layers in a plain list, a torch Linear classifier over all layers' outputs. */
    private Model.Builder ffc(ClassDict net, int labels) throws IOException {
        List<ClassDict> layers = list(net.get("layers"), "layers");
        List<DenseLayer> ls = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            ls.add(linear(layers.get(i), "layer " + i));
        }
        ClassDict classifier = module(net, "classifier");
        DenseLayer c = linear(classifier, "classifier");
        if (c.out() != labels) {
            throw new IOException(ckpt.file() + ": the classifier has " + c.out() + " outputs, expected " + labels + " labels");
        }
        int d = ls.get(0).in() - labels;
        if (d <= 0) {
            throw new IOException(ckpt.file() + ": the first layer reads " + ls.get(0).in() + " values, not an image plus "
                    + labels + " labels");
        }
        notes.add("FFLib's FFC takes a ReLU of the logits before its argmax, fftk does not: the labels differ only on "
                + "images whose logits are all <= 0, where FFLib answers label 0");
        return Model.builder(Architecture.FFNN_C).inputSize(d).numLabels(labels).layers(ls).classifier(c)
                .theta(theta(layers)).objective(objective(net));
    }

    /**
     * FFRNN: layers = [input dummy, FFRecurrentLayer (fw [w, below], bw [w, above], fb [w]) …,
     * label dummy]; FFLib counts the goodness of frames f = K_testlow+1 .. K_testhigh−1 (0-based,
     * after its start pass), which are fftk's frames K_testlow+2 .. K_testhigh.
     */
    private Model.Builder ffrnn(ClassDict net) throws IOException {
        List<ClassDict> all = list(net.get("layers"), "layers");
        if (all.size() < 3) {
            throw new IOException(ckpt.file() + ": an FFRNN needs input, hidden and label layers, found " + all.size());
        }
        int d = integer(all.get(0).get("rc_features"), "input width");
        int labels = integer(all.get(all.size() - 1).get("rc_features"), "label width");
        List<ClassDict> hidden = all.subList(1, all.size() - 1);
        List<DenseLayer> ls = new ArrayList<>();
        Float beta = null;
        for (int i = 0; i < hidden.size(); i++) {
            ClassDict l = hidden.get(i);
            if (!l.getClassName().equals("fflib.nn.ff_recurrent_layer.FFRecurrentLayer")) {
                throw new IOException(ckpt.file() + ": FFRNN layer " + i + " is a " + l.getClassName());
            }
            relu(l, "layer " + i);
            float[] fw = tensor(params(l).get("fw"), "layer " + i + " fw");
            float[] bw = tensor(params(l).get("bw"), "layer " + i + " bw");
            float[] fb = tensor(params(l).get("fb"), "layer " + i + " fb");
            int out = fb.length;
            int below = i == 0 ? d : ls.get(i - 1).out();
            int above = i == hidden.size() - 1 ? labels : integer(hidden.get(i + 1).get("rc_features"), "width");
            if (fw.length != (long) out * below || bw.length != (long) out * above) {
                throw new IOException(ckpt.file() + ": FFRNN layer " + i + " weights do not match the widths " + below
                        + " -> " + out + " <- " + above);
            }
            ls.add(new DenseLayer(out, below, fw, fb, above, bw));
            float b = number(l.get("beta"), "beta").floatValue();
            if (beta != null && beta != b) {
                throw new IOException(ckpt.file() + ": the FFRNN layers have different beta (" + beta + ", " + b
                        + "); fftk's ffrnn has one");
            }
            beta = b;
        }
        int kTrain = integer(net.get("K_train"), "K_train");
        int kLow = integer(net.get("K_testlow"), "K_testlow");
        int kHigh = integer(net.get("K_testhigh"), "K_testhigh");
        if (kLow + 2 > kHigh) {
            throw new IOException(ckpt.file() + ": K_testlow " + kLow + " and K_testhigh " + kHigh
                    + " leave no frame for FFLib to count (it counts frames K_testlow+1..K_testhigh-1, 0-based)");
        }
        notes.add("FFRNN: FFLib starts from random U(0,1) states, so its own predictions vary from run to run; the "
                + "imported model starts every unit at their mean " + FFLIB_START_STATE + " and counts frames "
                + (kLow + 2) + ".." + kHigh + " (FFLib's frames " + (kLow + 1) + ".." + (kHigh - 1) + ", 0-based)");
        return Model.builder(Architecture.FFRNN).inputSize(d).numLabels(labels).layers(ls).theta(theta(hidden))
                .objective(objective(hidden.get(0))).beta(beta).trainFrames(kTrain).testFrames(kLow + 2, kHigh)
                .startState(FFLIB_START_STATE);
    }

    /** ff-research's BP network: a module whose one Sequential is [Flatten,] Linear, ReLU, …, Linear. */
    private Model.Builder backprop(ClassDict net, String cls) throws IOException {
        List<ClassDict> seq = null;
        for (Object m : modules(net).values()) {
            if (m instanceof ClassDict && ((ClassDict) m).getClassName().equals("torch.nn.modules.container.Sequential")) {
                if (seq != null) {
                    seq = null;
                    break;
                }
                seq = new ArrayList<>();
                for (Object x : modules((ClassDict) m).values()) {
                    seq.add((ClassDict) x);
                }
            }
        }
        if (seq == null || !cls.startsWith("__main__.") && !cls.startsWith("fflib.")) {
            throw new IOException(ckpt.file() + ": unknown network class " + cls + " (fftk imports FFLib's FFNet, FFC, "
                    + "FFRNN and ff-research's backprop network)");
        }
        int at = 0;
        if (!seq.isEmpty() && seq.get(0).getClassName().equals("torch.nn.modules.flatten.Flatten")) {
            at = 1;
        }
        List<DenseLayer> ls = new ArrayList<>();
        for (; at < seq.size(); at++) {
            ClassDict m = seq.get(at);
            String k = m.getClassName();
            if (k.equals("torch.nn.modules.linear.Linear")) {
                ls.add(linear(m, "layer " + ls.size()));
            } else if (k.equals("torch.nn.modules.activation.ReLU")) {
                if (ls.isEmpty() || (at > 0 && !seq.get(at - 1).getClassName().equals("torch.nn.modules.linear.Linear"))) {
                    throw new IOException(ckpt.file() + ": " + cls + ": a ReLU that does not follow a Linear layer");
                }
            } else {
                throw new IOException(ckpt.file() + ": " + cls + " holds a " + k + " (fftk's bpnn is Linear and ReLU layers)");
            }
        }
        if (ls.size() < 2) {
            throw new IOException(ckpt.file() + ": " + cls + " has " + ls.size() + " Linear layers; bpnn needs a hidden and an output layer");
        }
        // every Linear but the last is followed by a ReLU
        int linear = 0;
        for (int i = 0; i < seq.size(); i++) {
            if (seq.get(i).getClassName().equals("torch.nn.modules.linear.Linear")) {
                linear++;
                boolean last = linear == ls.size();
                boolean reluNext = i + 1 < seq.size() && seq.get(i + 1).getClassName().equals("torch.nn.modules.activation.ReLU");
                if (last == reluNext) {
                    throw new IOException(ckpt.file() + ": " + cls + ": fftk's bpnn has a ReLU after every Linear layer "
                            + "but the last");
                }
            }
        }
        DenseLayer out = ls.remove(ls.size() - 1);
        return Model.builder(Architecture.BPNN).inputSize(ls.get(0).in()).numLabels(out.out()).layers(ls).classifier(out);
    }

    /** An FFLinear or torch Linear as a dense layer (a missing bias is zeros); FFLinear's activation must be ReLU. */
    private DenseLayer linear(ClassDict l, String what) throws IOException {
        String k = l.getClassName();
        if (!k.equals("fflib.nn.ff_linear.FFLinear") && !k.equals("torch.nn.modules.linear.Linear")) {
            throw new IOException(ckpt.file() + ": " + what + " is a " + k + ", not a linear layer");
        }
        if (k.startsWith("fflib.")) {
            relu(l, what);
        }
        int in = integer(l.get("in_features"), what + " in_features");
        int out = integer(l.get("out_features"), what + " out_features");
        float[] w = tensor(params(l).get("weight"), what + " weight");
        Object bt = params(l).get("bias");
        float[] b = bt == null ? new float[out] : tensor(bt, what + " bias");
        if (w.length != (long) in * out || b.length != out) {
            throw new IOException(ckpt.file() + ": " + what + " is " + out + "x" + in + " but holds " + w.length
                    + " weights and " + b.length + " biases");
        }
        return new DenseLayer(out, in, w, b);
    }

    private void relu(ClassDict l, String what) throws IOException {
        Object f = l.containsKey("activation_fn") ? l.get("activation_fn") : modules(l).get("activation_fn");
        if (!(f instanceof ClassDict) || !((ClassDict) f).getClassName().equals("torch.nn.modules.activation.ReLU")) {
            throw new IOException(ckpt.file() + ": " + what + " uses activation " + describe(f) + "; fftk's FF layers use ReLU");
        }
    }

    private float theta(List<ClassDict> layers) throws IOException {
        Float t = null;
        for (ClassDict l : layers) {
            float v = number(l.get("loss_threshold"), "loss_threshold").floatValue();
            if (t != null && t != v) {
                throw new IOException(ckpt.file() + ": the layers have different thresholds (" + t + ", " + v
                        + "); fftk's FF models have one theta");
            }
            t = v;
        }
        return t;
    }

    private Objective objective(ClassDict o) throws IOException {
        Object m = o.get("maximize");
        if (!(m instanceof Boolean)) {
            throw new IOException(ckpt.file() + ": " + o.getClassName() + " has no 'maximize' flag");
        }
        return (Boolean) m ? Objective.MAXIMIZE : Objective.MINIMIZE;
    }

    private List<ClassDict> list(Object o, String what) throws IOException {
        if (!(o instanceof List) || ((List<?>) o).isEmpty()) {
            throw new IOException(ckpt.file() + ": the network's " + what + " is " + describe(o) + ", not a list of layers");
        }
        List<ClassDict> r = new ArrayList<>();
        for (Object x : (List<?>) o) {
            if (!(x instanceof ClassDict)) {
                throw new IOException(ckpt.file() + ": the network's " + what + " holds " + describe(x));
            }
            r.add((ClassDict) x);
        }
        return r;
    }

    private Map<?, ?> modules(ClassDict m) {
        Object o = m.get("_modules");
        return o instanceof Map ? (Map<?, ?>) o : Map.of();
    }

    private ClassDict module(ClassDict m, String name) throws IOException {
        Object o = modules(m).get(name);
        if (!(o instanceof ClassDict)) {
            throw new IOException(ckpt.file() + ": " + m.getClassName() + " has no module '" + name + "'");
        }
        return (ClassDict) o;
    }

    private Map<?, ?> params(ClassDict m) throws IOException {
        Object o = m.get("_parameters");
        if (!(o instanceof Map)) {
            throw new IOException(ckpt.file() + ": " + m.getClassName() + " has no parameters");
        }
        return (Map<?, ?>) o;
    }

    private float[] tensor(Object o, String what) throws IOException {
        if (!(o instanceof RestrictedUnpickler.TensorRef)) {
            throw new IOException(ckpt.file() + ": " + what + " is " + describe(o) + ", not a tensor");
        }
        return ckpt.floats((RestrictedUnpickler.TensorRef) o);
    }

    private Number number(Object o, String what) throws IOException {
        if (!(o instanceof Number)) {
            throw new IOException(ckpt.file() + ": " + what + " is " + describe(o) + ", not a number");
        }
        return (Number) o;
    }

    private int integer(Object o, String what) throws IOException {
        if (!(o instanceof Integer || o instanceof Long)) {
            throw new IOException(ckpt.file() + ": " + what + " is " + describe(o) + ", not an integer");
        }
        long v = ((Number) o).longValue();
        if (v < 1 || v > 1_000_000) {
            throw new IOException(ckpt.file() + ": " + what + " is " + v + " (expected 1..1000000)");
        }
        return (int) v;
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof ClassDict) {
            return "a " + ((ClassDict) o).getClassName();
        }
        return "a " + o.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** A flat JSON object of strings and numbers (the provenance). */
    private static String json(Map<String, Object> m) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append(quote(e.getKey())).append(':');
            Object v = e.getValue();
            if (v instanceof Number && Double.isFinite(((Number) v).doubleValue())) {
                s.append(v);
            } else {
                s.append(quote(String.valueOf(v)));
            }
        }
        return s.append('}').toString();
    }

    private static String quote(String v) {
        return "\"" + JsonText.escape(v) + "\"";
    }
}
