package org.fftk.pruner.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.pruner.report.Ensembles;
import org.fftk.pruner.report.Inspection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The numbers behind fftk inspect --plots, by hand, and the pictures on a planted net. */
class InspectionPlotsTest {
    @TempDir
    Path tmp;

    @Test
    void hsvValuesAreClassSpecialisationAndStrength() {
        // unit 0 fires for class 1 only; unit 1 equally for both; unit 2 never
        double[][] means = {{0, 2, 0}, {4, 2, 0}};
        double[][] v = InspectionPlots.hsvValues(means, new int[] {3, 3});
        assertEquals(1, v[0][0], 0);
        assertEquals(1.0, v[0][1], 1e-12, "one class: entropy 0");
        assertEquals(0.0, v[1][1], 1e-12, "two equal classes: entropy log 2");
        assertEquals(1.0, v[0][2], 1e-12, "mean 2, the layer's largest");
        assertEquals(1.0, v[1][2], 1e-12);
        assertEquals(0.0, v[2][2], 0);
    }

    @Test
    void jaccardFromSharedCounts() {
        Ensembles e = new Ensembles(new int[] {2, 3, 0}, new double[3], new int[] {1, 1, 1},
                new int[][] {{2, 1, 0}, {1, 3, 0}, {0, 0, 0}}, 0, 0, true, null);
        double[][] j = InspectionPlots.jaccard(e);
        assertEquals(1.0 / 4, j[0][1], 1e-12, "|∩| 1 / |∪| 2 + 3 − 1");
        assertEquals(1.0, j[1][1], 1e-12);
        assertTrue(Double.isNaN(j[2][2]));
    }

    @Test
    void writesEveryPictureForAPlantedNet() throws Exception {
        Model m = Model.builder(Architecture.BPNN).inputSize(2).numLabels(2)
                .addLayer(new DenseLayer(3, 2, new float[] {1, 0, 0, 1, -1, 1}, new float[] {0, 0, 0.05f}))
                .classifier(new DenseLayer(2, 3, new float[] {1, 0, 0, 0, 1, 0}, new float[2])).build();
        Dataset d = new Dataset("four", 2, 2, new float[] {0.9f, 0f, 0.8f, 0.1f, 0f, 0.7f, 0.1f, 0.9f}, new int[] {0, 0, 1, 1});
        Inspection ins = Inspection.of(m, null, d, 4, 0);
        List<Path> files = InspectionPlots.write(m, ins, List.of("zero", "one"), tmp);
        assertEquals(4, files.size());
        for (String f : new String[] {"layer0-positive-share", "layer0-ensembles", "layer0-jaccard", "layer0-hsv"}) {
            assertTrue(ImageIO.read(tmp.resolve(f + ".png").toFile()).getWidth() > 100, f);
        }
        assertTrue(Files.size(tmp.resolve("layer0-ensembles.png")) > 0);
    }
}
