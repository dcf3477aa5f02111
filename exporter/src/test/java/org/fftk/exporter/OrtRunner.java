package org.fftk.exporter;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs an exported model in ONNX Runtime (one intra-op thread: deterministic and light on the CI's cores). */
final class OrtRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OrtRunner(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            session = env.createSession(model, o);
        }
    }

    OrtSession session() {
        return session;
    }

    /** Scores [n][L] and labels [n] of n images. */
    Result run(float[] images, int n, int d) throws OrtException {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(images, 0, n * d), new long[] {n, d});
                OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, in))) {
            float[][] scores = (float[][]) r.get(OnnxExporter.SCORES).orElseThrow().getValue();
            long[] labels = (long[]) r.get(OnnxExporter.LABEL).orElseThrow().getValue();
            return new Result(scores, labels);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }

    static final class Result {
        final float[][] scores;
        final long[] labels;

        Result(float[][] scores, long[] labels) {
            this.scores = scores;
            this.labels = labels;
        }
    }
}
