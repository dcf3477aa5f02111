package org.fftk.trainer;

import org.fftk.edge.data.Dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.infer.Predictor;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.history.EpochRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a few thousand real MNIST images raises validation accuracy far above chance (10%)
 * for both FF objectives and for bpnn, the per-layer FF loss falls, the history file is written,
 * and the returned Model predicts (with edge-runtime's independent PlainPredictor) exactly what
 * TensorFlow's evaluation graph predicts.
 */
class TrainerLearnsTest {
    @TempDir
    Path tmp;

    private static TrainConfig smallFf(Objective o) {
        return TrainConfig.defaults(Architecture.FFNN).withWidths(200, 200).withEpochs(8).withLearningRate(0.1f)
                .withTheta(2f).withObjective(o).withLimitTrain(3000).withSeed(3);
    }

    @Test
    void ffnnMaximizeLearns() throws Exception {
        check(Objective.MAXIMIZE);
    }

    @Test
    void ffnnMinimizeLearns() throws Exception {
        check(Objective.MINIMIZE);
    }

    private void check(Objective o) throws Exception {
        Dataset data = TestData.mnistTrain();
        Path hist = tmp.resolve("history.json");
        TrainResult r = Trainer.train(smallFf(o).withHistoryPath(hist), data, TrainListener.none());
        EpochRecord first = r.history().getEpochs().get(0);
        EpochRecord last = r.history().last();
        assertEquals(8, r.history().getEpochs().size());
        assertTrue(last.validationAccuracy() > 0.5, o + ": validation accuracy " + last.validationAccuracy());
        for (int l = 0; l < 2; l++) {
            assertTrue(last.layers().get(l).trainLoss() < first.layers().get(l).trainLoss() - 0.05,
                    o + ": layer " + l + " loss " + first.layers().get(l).trainLoss() + " -> " + last.layers().get(l).trainLoss());
        }
        assertTrue(last.layers().get(0).accuracy() > 0.6, "layer 0 pos/neg accuracy " + last.layers().get(0).accuracy());
        assertTrue(last.layers().get(0).labelAccuracy() > 0.5, "layer 0 label accuracy " + last.layers().get(0).labelAccuracy());

        JsonNode j = new ObjectMapper().readTree(Files.readString(hist));
        assertEquals(8, j.get("epochs").size());
        assertEquals(o.id(), j.get("config").get("objective").asText());
        assertNotNull(j.get("epochs").get(7).get("layers").get(1).get("hoyer"));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temp files left beside the history");
        }

        // the in-memory model: edge-runtime's plain predictor agrees with TensorFlow on held-out images
        Dataset test = TestData.mnistTest().range(0, 200);
        Predictor p = Inference.predictor(r.model());
        int[] pred = p.predict(test.images(), test.offset(0), test.size());
        int ok = 0;
        for (int i = 0; i < pred.length; i++) {
            ok += pred[i] == test.label(i) ? 1 : 0;
        }
        assertEquals(Trainer.accuracy(r.model(), test), ok / 200.0, 1e-12, "threaded and plain predictions");
        TrainerArchitecturesTest.checkOnnxAgrees(r.model()); // ONNX Runtime: the independent reference
        assertEquals(o, r.model().objective());
        assertEquals(794, r.model().layers().get(0).in());
    }

    @Test
    void bpnnLearns() throws Exception {
        Dataset data = TestData.mnistTrain();
        TrainConfig c = TrainConfig.defaults(Architecture.BPNN).withWidths(200, 200).withEpochs(3)
                .withLearningRate(1e-3f).withLimitTrain(3000).withSeed(3);
        TrainResult r = Trainer.train(c, data, TrainListener.none());
        EpochRecord first = r.history().getEpochs().get(0);
        EpochRecord last = r.history().last();
        assertTrue(last.validationAccuracy() > 0.8, "bpnn validation accuracy " + last.validationAccuracy());
        assertTrue(last.trainLoss() < first.trainLoss(), "bpnn loss falls");
        Dataset test = TestData.mnistTest().range(0, 200);
        int[] pred = Inference.predictor(r.model()).predict(test.images(), test.offset(0), test.size());
        int ok = 0;
        for (int i = 0; i < pred.length; i++) {
            ok += pred[i] == test.label(i) ? 1 : 0;
        }
        assertEquals(Trainer.accuracy(r.model(), test), ok / 200.0, 1e-12);
        TrainerArchitecturesTest.checkOnnxAgrees(r.model());
    }
}
