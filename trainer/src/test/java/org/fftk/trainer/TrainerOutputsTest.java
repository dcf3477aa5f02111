package org.fftk.trainer;

import org.fftk.edge.data.Dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output paths are checked before the first epoch; any depth from 1 trains. */
class TrainerOutputsTest {
    @TempDir
    Path tmp;

    static Dataset noise(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
            for (int j = 0; j < d; j++) {
                px[i * d + j] = r.nextInt(4) == 0 ? r.nextFloat() : 0f;
            }
        }
        return new Dataset("examples", d, 10, px, y);
    }

    @Test
    void aHistoryPathThatIsAFolderFailsBeforeTheFirstEpoch() {
        AtomicInteger epochs = new AtomicInteger();
        TrainListener count = new TrainListener() {
            @Override
            public void epochStarted(int epoch, int total, int steps) {
                epochs.incrementAndGet();
            }
        };
        TrainConfig c = TrainConfig.defaults(Architecture.FFNN).withWidths(8).withEpochs(3).withHistoryPath(tmp);
        RuntimeException e = assertThrows(RuntimeException.class, () -> Trainer.train(c, noise(200, 20, 1), count));
        assertTrue(e.getMessage().contains("cannot write history " + tmp), e.getMessage());
        assertEquals(0, epochs.get(), "no epoch may run before the history path is known to work");
    }

    /** ffcnn, bpcnn on the 4×4 noise images: 3×3 kernels, padding 1, as many as the widths; other architectures unchanged. */
    static TrainConfig conv(TrainConfig c) {
        if (!c.architecture().isConv()) {
            return c;
        }
        int[] k = new int[c.widths().length];
        java.util.Arrays.fill(k, 3);
        TrainConfig r = c.withConv(k, null, null).withLearningRate(0.01f);
        return c.architecture().isFfConv() ? r.withScoreFrom(0) : r;
    }

    @Test
    void oneAndFourHiddenLayersTrainForEveryArchitecture() {
        for (Architecture a : Architecture.values()) {
            for (int[] widths : new int[][] {{12}, {12, 10, 8, 6}}) {
                if (a == Architecture.FFCNN_C && widths.length == 1) {
                    continue; // its classifier reads every layer but the first
                }
                TrainConfig c = conv(TrainConfig.defaults(a).withWidths(widths).withEpochs(2).withBatchSize(50)
                        .withTrainFrames(3));
                Model m = Trainer.train(c, noise(200, 16, 2), null).model();
                assertArrayEquals(widths, m.widths(), a + " " + widths.length + " layers");
            }
        }
    }

    /** ffcnn on CIFAR-10-shaped data (3,072 values: three 32 × 32 planes): colour conv layers and colour patterns. */
    @Test
    void ffcnnTrainsOnColourImages() {
        Dataset cifarLike = noise(60, 3072, 4);
        TrainConfig c = TrainConfig.quickstart(Architecture.FFCNN).withWidths(3, 2).withConv(new int[] {3, 3}, new int[] {2, 1}, null)
                .withEpochs(1).withBatchSize(20);
        Model m = Trainer.train(c, cifarLike, null).model();
        assertEquals(new org.fftk.edge.model.ConvShape(3, 32, 32, new int[] {3, 3}, new int[] {2, 1}, new int[] {1, 1}), m.conv());
        assertEquals(10 * 3072, m.labelPatterns().length);
        assertArrayEquals(java.util.Arrays.copyOfRange(m.labelPattern(4), 0, 1024), java.util.Arrays.copyOfRange(m.labelPattern(4), 2048, 3072),
                "the same wave in every colour plane");
    }

    /** Fine-tuning starts from a model: with a vanishing learning rate the result is that model. */
    @Test
    void trainingCanStartFromAnyModel() {
        Dataset data = noise(200, 16, 3);
        for (Architecture a : Architecture.values()) {
            TrainConfig c = conv(TrainConfig.defaults(a).withWidths(10, 6).withEpochs(2).withBatchSize(50).withTrainFrames(2)
                    .withSeed(5));
            Model first = Trainer.train(c, data, null).model();
            Model again = Trainer.train(c.withStart(first).withLearningRate(1e-20f).withClassifierLearningRate(1e-20f)
                    .withSeed(6), data, null).model();
            Model fresh = Trainer.train(c.withSeed(6), data, null).model();
            java.util.List<float[]> want = first.parameters();
            java.util.List<float[]> got = again.parameters();
            double moved = 0;
            double other = 0;
            for (int i = 0; i < want.size(); i++) {
                for (int j = 0; j < want.get(i).length; j++) {
                    moved = Math.max(moved, Math.abs(want.get(i)[j] - got.get(i)[j]));
                    other = Math.max(other, Math.abs(want.get(i)[j] - fresh.parameters().get(i)[j]));
                }
            }
            assertTrue(moved < 1e-6, a + ": started from the model, moved " + moved);
            assertTrue(other > 1e-3, a + ": a fresh start differs by " + other);
        }
        Model one = Trainer.train(TrainConfig.defaults(Architecture.FFNN).withWidths(10).withEpochs(1), data, null).model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(TrainConfig.defaults(Architecture.FFNN).withWidths(10, 6).withStart(one), data, null));
        assertTrue(e.getMessage().contains("the starting model is ffnn [10]"), e.getMessage());
    }
}
