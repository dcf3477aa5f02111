package org.fftk.pruner.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.junit.jupiter.api.Test;

class EnsemblesTest {

    @Test
    void handComputedEnsembles() {
        // class 0: unit 0 = 4 > 2·mean(1,1,1) = 2 → E0 = {0}; class 1: units 0,1 = 3 > 2·mean(3,0,0) = 2 → E1 = {0,1}
        double[][] mean = {{4, 1, 1, 1}, {3, 3, 0, 0}, {9, 9, 9, 9}};
        Ensembles e = Ensembles.of(mean, new int[] {5, 7, 0}, 0.6);
        assertArrayEquals(new int[] {1, 2, 0}, e.sizes(), "class 2 has no samples");
        assertArrayEquals(new double[] {25, 50, 0}, e.sizePercent(), 1e-12);
        assertEquals(1, e.shared()[0][1]);
        assertEquals(2, e.shared()[1][1]);
        assertEquals(0.5, e.meanJaccard(), 1e-12, "|{0}| / |{0,1}|");
        assertEquals(0.5, e.maxJaccard(), 1e-12);
        assertTrue(e.meaningful());
        assertFalse(Ensembles.of(mean, new int[] {1, 1, 1}, 0.49).meaningful());
    }

    @Test
    void inspectionFindsAPlantedEnsemble() {
        // bpnn 2 → 3 → 2: unit 0 fires for class 0 images (x0 large), unit 1 for class 1, unit 2 always a little
        Model m = Model.builder(Architecture.BPNN).inputSize(2).numLabels(2)
                .addLayer(new DenseLayer(3, 2, new float[] {1, 0, 0, 1, 0, 0}, new float[] {0, 0, 0.05f}))
                .classifier(new DenseLayer(2, 3, new float[] {1, 0, 0, 0, 1, 0}, new float[2])).build();
        Dataset d = new Dataset("four", 2, 2, new float[] {0.9f, 0f, 0.8f, 0.1f, 0f, 0.7f, 0.1f, 0.9f}, new int[] {0, 0, 1, 1});
        Inspection in = Inspection.of(m, null, d, 4, 0);
        Ensembles e = in.layers().get(0).ensembles();
        assertNotNull(e);
        assertArrayEquals(new int[] {2, 2}, e.samples(), "all four are classified correctly");
        assertArrayEquals(new int[] {1, 1}, e.sizes());
        assertEquals(0, e.shared()[0][1]);
        assertEquals(0, e.meanJaccard(), 0);
    }

    @Test
    void correctOnlyAveragesTheCorrectlyClassifiedImagesAlone() {
        // the same net; image 3 (class 1) is given label 0, so the model gets it "wrong"
        Model m = Model.builder(Architecture.BPNN).inputSize(2).numLabels(2)
                .addLayer(new DenseLayer(3, 2, new float[] {1, 0, 0, 1, 0, 0}, new float[] {0, 0, 0.05f}))
                .classifier(new DenseLayer(2, 3, new float[] {1, 0, 0, 0, 1, 0}, new float[2])).build();
        float[] px = {0.9f, 0f, 0.8f, 0.1f, 0f, 0.7f, 0.1f, 0.9f};
        Dataset d = new Dataset("four", 2, 2, px, new int[] {0, 0, 1, 0});
        // h = (x0, x1, 0.05) per image; mean activation over images 0..2 only, by hand
        double want = ((0.9 + 0 + 0.05) + (0.8 + 0.1 + 0.05) + (0 + 0.7 + 0.05)) / 3 / 3;
        double all = ((0.9 + 0 + 0.05) + (0.8 + 0.1 + 0.05) + (0 + 0.7 + 0.05) + (0.1 + 0.9 + 0.05)) / 4 / 3;
        assertEquals(want, Inspection.of(m, null, d, 4, 0, true).layers().get(0).meanActivation(), 1e-6);
        assertEquals(all, Inspection.of(m, null, d, 4, 0, false).layers().get(0).meanActivation(), 1e-6);
    }
}
