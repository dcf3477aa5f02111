package org.fftk.pruner.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fftk.edge.infer.Inference;
import org.fftk.edge.infer.Predictor;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.pruner.testutil.Models;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pruner's plain-loop forward pass (used for activation ranking and inspection) computes the same
 * scores as the edge runtime's predictors, for every architecture: both follow docs/algorithms.md "FF layer", "Prediction", written
 * independently.
 */
class ForwardAgreementTest {

    @ParameterizedTest
    // ffcnn: Models.random builds dense networks; channel pruning is tested in ChannelSurgeryTest
    @EnumSource(value = Architecture.class, names = {"FFCNN", "FFCNN_C", "BPCNN"}, mode = EnumSource.Mode.EXCLUDE)
    void scoresAgreeWithEdgeRuntime(Architecture arch) {
        Model m = Models.random(arch, 10, 4, new int[] {9, 7, 5}, 21);
        Dataset x = Models.data(13, 10, 4, 22);
        Predictor p = Inference.predictor(m);
        float[] edge = new float[13 * 4];
        p.scores(x.images(), 0, 13, edge);
        float[] all = new float[13 * 4];
        for (int i = 0; i < 13; i++) {
            float[] ref = Forward.scores(m, x.images(), x.offset(i));
            System.arraycopy(ref, 0, all, i * 4, 4);
            float[] e = new float[4];
            System.arraycopy(edge, i * 4, e, 0, 4);
            assertArrayEquals(ref, e, 1e-4f * Math.max(1f, Math.abs(ref[0])), arch + " image " + i);
        }
        int[] a = org.fftk.edge.infer.LabelRule.labels(m, all, 13);
        int[] b = p.predict(x.images(), 0, 13);
        int same = 0;
        for (int i = 0; i < 13; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        assertEquals(13, same, arch + ": same labels");
    }
}
