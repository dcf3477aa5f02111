package org.fftk.trainer;

import org.fftk.edge.data.Dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.junit.jupiter.api.Test;

/** Same seed + data + device → bit-identical weights; another seed → different weights. */
class TrainerDeterminismTest {
    @Test
    void sameSeedSameWeights() {
        Dataset data = TestData.mnistTrain();
        for (Architecture a : new Architecture[] {Architecture.FFNN, Architecture.BPNN}) {
            TrainConfig c = TrainConfig.defaults(a).withWidths(64, 32).withEpochs(2).withLimitTrain(1000)
                    .withBatchSize(100).withSeed(11).withEvaluateEvery(0);
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

    @Test
    void validationRunsEveryNthEpochAndAfterTheLast() {
        TrainConfig c = TrainConfig.defaults(Architecture.FFNN).withWidths(16, 16).withEpochs(5).withLimitTrain(500)
                .withBatchSize(100).withEvaluateEvery(2);
        java.util.List<org.fftk.trainer.history.EpochRecord> es = Trainer.train(c, TestData.mnistTrain(), null).history().getEpochs();
        boolean[] want = {false, true, false, true, true};
        for (int e = 0; e < 5; e++) {
            assertEquals(want[e], es.get(e).validationAccuracy() != null, "epoch " + (e + 1));
            assertEquals(want[e], es.get(e).layers().get(0).labelAccuracy() != null, "epoch " + (e + 1) + " layer metrics");
        }
    }
}
