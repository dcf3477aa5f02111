package org.fftk.trainer;

import org.fftk.edge.data.Dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.tf.TfRuntime;
import org.junit.jupiter.api.Test;

/** Defaults are paper 003 Table 1; impossible settings and a missing GPU give one-line errors. */
class TrainConfigTest {
    @Test
    void defaultsArePaperTable1() {
        TrainConfig f = TrainConfig.defaults(Architecture.FFNN);
        assertArrayEquals(new int[] {2000, 2000}, f.widths());
        assertEquals(0.02f, f.learningRate());
        assertEquals(20f, f.theta());
        assertEquals(128, f.batchSize());
        assertEquals(60, f.epochs());
        assertEquals(0.1, f.validationFraction());
        assertEquals(Objective.MAXIMIZE, f.objective());
        assertEquals(1e-4f, TrainConfig.defaults(Architecture.BPNN).learningRate());
        TrainConfig c = TrainConfig.defaults(Architecture.FFNN_C).validate();
        assertEquals(0.02f, c.learningRate());
        assertEquals(1e-4f, c.classifierLearningRate());
        assertEquals(30, c.ffEpochs());
        assertEquals(2, c.withEpochs(3).ffEpochs());
        TrainConfig r = TrainConfig.defaults(Architecture.FFRNN).validate();
        assertEquals(0.02f, r.learningRate());
        assertEquals(10, r.trainFrames());
        assertEquals(0.7f, r.beta());
        for (Architecture a : Architecture.values()) {
            TrainConfig.quickstart(a).validate();
        }
        // ffcnn-c: the ffcnn quickstart's 3 epochs, then 3 of the classifier; the cooldown counts the FF epochs
        TrainConfig cc = TrainConfig.quickstart(Architecture.FFCNN_C);
        assertEquals(3, cc.ffEpochs());
        assertEquals(6, cc.epochs());
        TrainConfig cool = TrainConfig.defaults(Architecture.FFCNN_C).validate();
        assertEquals(200, cool.ffEpochs());
        assertEquals(1f, cool.learningRateFactor(100));
        assertEquals(2f * 100 / 200, cool.learningRateFactor(101), 1e-6f);
        assertEquals(2f / 200, cool.learningRateFactor(200), 1e-6f);

    }

    @Test
    void impossibleSettingsAreRejected() {
        TrainConfig f = TrainConfig.defaults(Architecture.FFNN);
        for (TrainConfig bad : new TrainConfig[] {f.withWidths(), f.withWidths(10, 0), f.withWidths(new int[TrainConfig.MAX_LAYERS + 1]),
                f.withEpochs(0), f.withBatchSize(0), f.withLearningRate(-1), f.withTheta(Float.NaN),
                f.withValidationFraction(1), f.withLimitTrain(-5), f.withEvaluateEvery(-1), TrainConfig.defaults(Architecture.FFNN_C).withEpochs(1),
                TrainConfig.defaults(Architecture.FFNN_C).withClassifierLearningRate(0),
                TrainConfig.defaults(Architecture.FFRNN).withTrainFrames(0),
                TrainConfig.defaults(Architecture.FFRNN).withTrainFrames(org.fftk.edge.model.Model.MAX_FRAMES + 1),
                TrainConfig.defaults(Architecture.FFRNN).withBeta(1.5f),
                TrainConfig.quickstart(Architecture.FFCNN_C).withWidths(8).withConv(new int[] {5}, new int[] {1}, null),
                TrainConfig.quickstart(Architecture.FFCNN_C).withFfEpochs(6),
                f.withSoftmaxScore(true).withObjective(Objective.MINIMIZE),
                TrainConfig.defaults(Architecture.BPNN).withSoftmaxScore(true)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::validate);
            assertTrue(!e.getMessage().contains("\n") && e.getMessage().length() > 10, e.getMessage());
        }
    }

    @Test
    void tooFewExamplesIsAnError() {
        float[] px = new float[4 * 3];
        Dataset d = new Dataset("four", 3, 2, px, new int[] {0, 1, 0, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(
                TrainConfig.defaults(Architecture.FFNN).withWidths(4).withValidationFraction(0.9), d.head(1), null));
        assertTrue(e.getMessage().contains("no training examples"), e.getMessage());
    }

    @Test
    void gpuWithoutGpuFailsClearly() {
        assumeFalse(TfRuntime.gpuVisible(), "a GPU is visible: nothing to check");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Trainer.checkDevice(TrainConfig.Device.GPU));
        assertTrue(e.getMessage().contains("no GPU"), e.getMessage());
        Trainer.checkDevice(TrainConfig.Device.CPU);
    }
}
