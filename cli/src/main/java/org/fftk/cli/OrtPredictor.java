package org.fftk.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.fftk.edge.infer.Predictor;
import org.fftk.edge.model.ModelFormat;

/** Runs an fftk ONNX file with ONNX Runtime behind the edge runtime's {@link Predictor} interface. */
final class OrtPredictor implements Predictor, AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final int inputSize;
    private final int numLabels;
    private final boolean argmin;

    OrtPredictor(Path model, int inputSize, int numLabels, boolean argmin, int threads) throws OrtException {
        this.env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        if (threads > 0) {
            o.setIntraOpNumThreads(threads);
        }
        this.session = env.createSession(model.toString(), o);
        this.inputSize = inputSize;
        this.numLabels = numLabels;
        this.argmin = argmin;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int numLabels() {
        return numLabels;
    }

    @Override
    public void scores(float[] images, int offset, int n, float[] out) {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(images, offset, n * inputSize),
                new long[] {n, inputSize});
             OrtSession.Result r = session.run(Map.of(ModelFormat.INPUT_IMAGE, in))) {
            OnnxTensor s = (OnnxTensor) r.get(ModelFormat.OUTPUT_SCORES).orElseThrow(
                    () -> new IllegalStateException("model has no 'scores' output"));
            s.getFloatBuffer().get(out, 0, n * numLabels);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int label(float[] scores, int row) {
        return org.fftk.edge.infer.LabelRule.best(scores, row * numLabels, numLabels, argmin);
    }

    /** Labels as the graph's own {@code label} output computes them. */
    long[] graphLabels(float[] images, int offset, int n) {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(images, offset, n * inputSize),
                new long[] {n, inputSize});
             OrtSession.Result r = session.run(Map.of(ModelFormat.INPUT_IMAGE, in))) {
            OnnxTensor s = (OnnxTensor) r.get(ModelFormat.OUTPUT_LABEL).orElseThrow(
                    () -> new IllegalStateException("model has no 'label' output"));
            long[] l = new long[n];
            s.getLongBuffer().get(l);
            return l;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
