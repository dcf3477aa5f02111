package org.fftk.trainer.tf;

import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Layout;
import org.fftk.trainer.TrainConfig.Device;
import org.fftk.edge.data.Dataset;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.ndarray.buffer.IntDataBuffer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Plumbing shared by {@link ClassifierNet} and {@link RecurrentNet}: a graph with parameter
 * variables (set and read as row-major float arrays), the training images preloaded into a
 * graph-side variable, per-loss running sums, reusable batch feeds, and the session.
 * Subclasses build their graph in their constructor and then call {@link #open}.
 */
public abstract class GraphNet implements AutoCloseable {
    protected final int dim;
    protected final int labels;
    protected final int trainCount;
    protected final Graph graph = new Graph();
    protected final Ops tf;
    protected Session session;

    protected final List<Variable<TFloat32>> params = new ArrayList<>();
    protected final List<long[]> paramShapes = new ArrayList<>();
    protected final List<Placeholder<TFloat32>> paramFeeds = new ArrayList<>();
    protected final List<Op> loadOps = new ArrayList<>();
    protected final TfMath.Slots adamSlots = new TfMath.Slots();

    protected Placeholder<TFloat32> dataFeed;
    protected Op loadData;
    protected Variable<TFloat32> data;
    protected Placeholder<TInt32> idx;
    protected Placeholder<TInt32> posLabel;
    protected Placeholder<TInt32> negLabel;
    protected Placeholder<TFloat32> beta1Power;
    protected Placeholder<TFloat32> beta2Power;
    protected Variable<TFloat32> lossAcc;
    protected Op lossReset;
    protected int lossCount;

    protected final TFloat32 b1pT = TFloat32.scalarOf(1f);
    protected final TFloat32 b2pT = TFloat32.scalarOf(1f);

    GraphNet(int dim, int labels, int trainCount, Device device) {
        this.dim = dim;
        this.labels = labels;
        this.trainCount = trainCount;
        this.tf = Ops.create(graph).withDevice(TfRuntime.deviceSpec(device));
    }

    protected Variable<TFloat32> addParam(String name, long... shape) {
        return TfMath.param(tf, name, shape, params, paramShapes, paramFeeds, loadOps);
    }

    /**
     * One variable per parameter tensor of {@link Layout#parameters} (the model's own order and
     * shapes), named like the ONNX initializer with '_' for '.' (TF names: no '/').
     */
    protected void addParams(Architecture a, int[] widths) {
        addParams(a, widths, null);
    }

    /** As {@link #addParams(Architecture, int[])}, for a conv architecture with its geometry. */
    protected void addParams(Architecture a, int[] widths, org.fftk.edge.model.ConvShape conv) {
        addParams(a, widths, conv, org.fftk.edge.model.Model.LABEL_ENCODING_CONCAT);
    }

    /** As above, under a label encoding (ffnn, ffnn-c: whether layer 0 reads D + L or D values). */
    protected void addParams(Architecture a, int[] widths, org.fftk.edge.model.ConvShape conv, String labelEncoding) {
        addParams(a, widths, conv, labelEncoding, null);
    }

    /** As above, with per-layer ranks of factored layers (null: all full). */
    protected void addParams(Architecture a, int[] widths, org.fftk.edge.model.ConvShape conv, String labelEncoding,
                             int[] ranks) {
        for (Layout.Param p : Layout.parameters(a, dim, labels, widths, conv, labelEncoding, ranks)) {
            addParam(p.name().replace('.', '_'), p.dims());
        }
    }

    /** Placeholders and the image variable of the training graph. */
    protected void buildInputs() {
        dataFeed = tf.withName("train_images_feed").placeholder(TFloat32.class, Placeholder.shape(Shape.of(trainCount, dim)));
        data = tf.withName("train_images").variable(Shape.of(trainCount, dim), TFloat32.class);
        loadData = tf.assign(data, dataFeed);
        idx = tf.withName("batch_index").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        posLabel = tf.withName("batch_label").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        negLabel = tf.withName("batch_negative_label").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        beta1Power = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        beta2Power = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    }

    protected void buildLossSums(int n) {
        lossCount = n;
        lossAcc = tf.withName("loss_sum").variable(Shape.of(n), TFloat32.class);
        lossReset = tf.assign(lossAcc, tf.zeros(tf.constant(new long[] {n}), TFloat32.class));
    }

    protected void open(Device device) {
        session = new Session(graph, TfRuntime.config(device));
    }

    /** Sets all parameters (row-major, W out×in) and zeroes the Adam state and the loss sums. */
    public void setParams(List<float[]> values) {
        if (values.size() != params.size()) {
            throw new IllegalArgumentException("expected " + params.size() + " parameter arrays, got " + values.size());
        }
        List<TFloat32> fed = new ArrayList<>();
        try {
            var r = session.runner();
            for (int i = 0; i < params.size(); i++) {
                if (values.get(i).length != TfMath.size(paramShapes.get(i))) {
                    throw new IllegalArgumentException("parameter " + i + " has " + values.get(i).length
                            + " values, expected " + TfMath.size(paramShapes.get(i)));
                }
                TFloat32 t = TFloat32.tensorOf(Shape.of(paramShapes.get(i)), DataBuffers.of(values.get(i), true, false));
                fed.add(t);
                r.feed(paramFeeds.get(i), t);
                r.addTarget(loadOps.get(i));
            }
            adamSlots.resets.forEach(r::addTarget);
            if (lossReset != null) {
                r.addTarget(lossReset);
            }
            r.run().close();
        } finally {
            fed.forEach(TFloat32::close);
        }
    }

    /** Current parameters, in the order of {@link #setParams}. */
    public List<float[]> getParams() {
        var r = session.runner();
        params.forEach(r::fetch);
        try (Result res = r.run()) {
            return floats(res, 0);
        }
    }

    /** Adam's state (m, v for every trained parameter, in creation order), for a checkpoint. */
    public List<float[]> getOptimizerState() {
        if (adamSlots.vars.isEmpty()) {
            return List.of();
        }
        var r = session.runner();
        adamSlots.vars.forEach(r::fetch);
        try (Result res = r.run()) {
            return floats(res, 0, adamSlots.shapes);
        }
    }

    /** Restores {@link #getOptimizerState} (after {@link #setParams}, which zeroes it). */
    public void setOptimizerState(List<float[]> values) {
        if (values.size() != adamSlots.vars.size()) {
            throw new IllegalArgumentException("expected " + adamSlots.vars.size() + " optimizer arrays, got " + values.size());
        }
        List<TFloat32> fed = new ArrayList<>();
        try {
            var r = session.runner();
            for (int i = 0; i < values.size(); i++) {
                long[] shape = adamSlots.shapes.get(i);
                if (values.get(i).length != TfMath.size(shape)) {
                    throw new IllegalArgumentException("optimizer array " + i + " has " + values.get(i).length
                            + " values, expected " + TfMath.size(shape));
                }
                TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values.get(i), true, false));
                fed.add(t);
                r.feed(adamSlots.feeds.get(i), t);
                r.addTarget(adamSlots.loads.get(i));
            }
            if (!values.isEmpty()) {
                r.run().close();
            }
        } finally {
            fed.forEach(TFloat32::close);
        }
    }

    /** Results {@code from .. from + params} of a run, one per parameter, as row-major arrays. */
    protected List<float[]> floats(Result res, int from) {
        return floats(res, from, paramShapes);
    }

    private static List<float[]> floats(Result res, int from, List<long[]> shapes) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            float[] a = new float[TfMath.size(shapes.get(i))];
            ((TFloat32) res.get(from + i)).copyTo(DataBuffers.of(a, false, false));
            out.add(a);
        }
        return out;
    }

    /** Shapes of the parameters, in order. */
    public List<long[]> paramShapes() {
        return paramShapes;
    }

    /** Copies the training images into the graph-side variable (once). */
    public void loadTrainingImages(Dataset d) {
        if (d.size() != trainCount || d.inputSize() != dim) {
            throw new IllegalArgumentException("net was built for " + trainCount + "x" + dim + " training images");
        }
        FloatDataBuffer buf = DataBuffers.of(d.images(), true, false).slice(d.offset(0), (long) trainCount * dim);
        try (TFloat32 t = TFloat32.tensorOf(Shape.of(trainCount, dim), buf)) {
            session.runner().feed(dataFeed, t).addTarget(loadData).run().close();
        }
    }

    /** Running sums of the losses since the last reset. */
    public float[] lossSums() {
        float[] a = new float[lossCount];
        try (Result r = session.runner().fetch(lossAcc).run()) {
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(a, false, false));
        }
        return a;
    }

    public void resetLossSums() {
        session.runner().addTarget(lossReset).run().close();
    }

    /** Runs {@code r} with TensorFlow's full trace and returns its per-op timings (profiling only). */
    protected static org.tensorflow.proto.RunMetadata traced(Session.Runner r) {
        r.setOptions(org.tensorflow.proto.RunOptions.newBuilder()
                .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build());
        try (Result res = r.runAndFetchMetadata()) {
            return res.getMetadata().orElseThrow();
        }
    }

    protected void adamPowers(long step) {
        b1pT.setFloat((float) Math.pow(TfMath.BETA1, step));
        b2pT.setFloat((float) Math.pow(TfMath.BETA2, step));
    }

    /** Reusable feed tensors for one batch size (no allocation per step). */
    public static final class BatchFeed implements AutoCloseable {
        public final int size;
        public final int[] index;
        public final int[] label;
        public final int[] negative;
        final TInt32 idxT;
        final TInt32 posT;
        final TInt32 negT;
        private final IntDataBuffer idxB;
        private final IntDataBuffer posB;
        private final IntDataBuffer negB;

        BatchFeed(int size) {
            this.size = size;
            index = new int[size];
            label = new int[size];
            negative = new int[size];
            idxT = TInt32.tensorOf(Shape.of(size));
            posT = TInt32.tensorOf(Shape.of(size));
            negT = TInt32.tensorOf(Shape.of(size));
            idxB = DataBuffers.of(index, true, false);
            posB = DataBuffers.of(label, true, false);
            negB = DataBuffers.of(negative, true, false);
        }

        /** Copies the Java arrays into the feed tensors. */
        void sync() {
            idxT.copyFrom(idxB);
            posT.copyFrom(posB);
            negT.copyFrom(negB);
        }

        @Override
        public void close() {
            idxT.close();
            posT.close();
            negT.close();
        }
    }

    public BatchFeed batchFeed(int size) {
        return new BatchFeed(size);
    }

    @Override
    public void close() {
        b1pT.close();
        b2pT.close();
        if (session != null) {
            session.close();
        }
        graph.close();
    }
}
