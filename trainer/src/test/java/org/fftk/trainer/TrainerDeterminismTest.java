package org.fftk.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.junit.jupiter.api.Test;

/** Same seed + data + device → bit-identical weights; another seed → different weights. */
class TrainerDeterminismTest {
    @Test
    void sameSeedSameWeights() {
        TrainData data = TestData.mnistTrain();
        for (Architecture a : new Architecture[] {Architecture.FFNN, Architecture.BPNN}) {
            TrainConfig c = TrainConfig.defaults(a).withWidths(64, 32).withEpochs(2).withLimitTrain(1000)
                    .withBatchSize(100).withSeed(11).withEvaluateEveryEpoch(false);
            Model m1 = Trainer.train(c, data, null).model();
            Model m2 = Trainer.train(c, data, null).model();
            Model m3 = Trainer.train(c.withSeed(12), data, null).model();
            for (int l = 0; l < 2; l++) {
                assertEquals(m1.layers().get(l), m2.layers().get(l), a + " layer " + l + " differs between identical runs");
                assertNotEquals(m1.layers().get(l), m3.layers().get(l), a + " layer " + l + " ignores the seed");
            }
            assertEquals(m1.classifier(), m2.classifier());
        }
    }
}
