package org.fftk.pruner.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.io.Sha256;
import org.fftk.pruner.testutil.Models;
import org.junit.jupiter.api.Test;

class SelectionTest {

    @Test
    void randomKeepsAreNestedAcrossT() {
        int[] widths = {50, 30};
        for (long seed = 0; seed < 5; seed++) {
            int[][] prev = null;
            for (int t : new int[] {1, 2, 4, 8, 16, 30, 50}) {
                int[] k = KeepCounts.same(t).clipped(widths);
                int[][] sel = NeuronSelection.random(widths, k, seed);
                assertEquals(Math.min(t, 50), sel[0].length);
                assertEquals(Math.min(t, 30), sel[1].length);
                if (prev != null) {
                    for (int l = 0; l < 2; l++) {
                        assertTrue(set(sel[l]).containsAll(set(prev[l])), "seed " + seed + " t " + t + " layer " + l);
                    }
                }
                prev = sel;
            }
        }
    }

    @Test
    void randomDependsOnSeedAndLayerOnly() {
        int[][] a = NeuronSelection.random(new int[] {40, 40}, new int[] {10, 10}, 7);
        int[][] b = NeuronSelection.random(new int[] {40, 40, 40}, new int[] {10, 10, 3}, 7);
        assertArrayEquals(a[0], b[0]);
        assertArrayEquals(a[1], b[1]);
        assertFalse(Arrays.equals(a[0], a[1]), "layers get different permutations");
        int[][] c = NeuronSelection.random(new int[] {40, 40}, new int[] {10, 10}, 8);
        assertFalse(Arrays.equals(a[0], c[0]), "seeds give different selections");
        int[] p = NeuronSelection.permutation(40, 7, 0);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 40; i++) {
            assertEquals(i, sorted[i], "a permutation");
        }
    }

    @Test
    void rankingHeadsEqualDirectSelectionAndAreNestedForEveryMethod() {
        Model m = Models.random(Architecture.FFNN, 6, 3, new int[] {12, 9}, 5);
        Dataset train = Models.data(25, 6, 3, 6);
        for (PruneSpec base : new PruneSpec[] {PruneSpec.of(PruneMethod.RANDOM, KeepCounts.same(1), 3),
            PruneSpec.of(PruneMethod.MAGNITUDE, KeepCounts.same(1), 3),
            PruneSpec.of(PruneMethod.MAGNITUDE, KeepCounts.same(1), 3).withL1(true),
            PruneSpec.of(PruneMethod.ACTIVATION, KeepCounts.same(1), 3).withSampleSize(10),
            PruneSpec.of(PruneMethod.ACTIVATION, KeepCounts.same(1), 3).withLeastActive(true)}) {
            int[][] rank = NeuronSelection.ranking(m, base, train);
            int[][] prev = null;
            for (int t = 1; t <= 12; t++) {
                PruneSpec s = base.withKeep(KeepCounts.perLayer(t, Math.min(t, 9)));
                int[][] sel = Pruner.select(m, s, train);
                assertArrayEquals(sel[0], NeuronSelection.head(rank, Pruner.keepCounts(m, s))[0], s.label() + " t " + t);
                assertArrayEquals(sel[1], NeuronSelection.head(rank, Pruner.keepCounts(m, s))[1], s.label() + " t " + t);
                if (prev != null) {
                    assertTrue(set(sel[0]).containsAll(set(prev[0])) && set(sel[1]).containsAll(set(prev[1])),
                            s.label() + " nested at t " + t);
                }
                prev = sel;
            }
        }
    }

    @Test
    void magnitudeKeepsLargestRowNorms() {
        // rows: L2 norms 5, 1, 13, 2 (3-4-5, 0-1-0... ) and L1 norms 7, 1, 17, 2
        float[] w = {3, 4, 0, 1, 0, 0, 5, 12, 0, 2, 0, 0};
        Model m = Model.builder(Architecture.BPNN).inputSize(3).numLabels(2)
                .addLayer(new DenseLayer(4, 3, w, new float[4]))
                .classifier(new DenseLayer(2, 4, new float[8], new float[2])).build();
        assertArrayEquals(new int[] {0, 2}, NeuronSelection.magnitude(m, new int[] {2}, false)[0]);
        assertArrayEquals(new int[] {0, 2, 3}, NeuronSelection.magnitude(m, new int[] {3}, true)[0]);
        assertArrayEquals(new double[] {7, 1, 17, 2}, NeuronSelection.rowNorms(w, 4, 3, true), 0);
        assertArrayEquals(new double[] {5, 1, 13, 2}, NeuronSelection.rowNorms(w, 4, 3, false), 1e-12);
    }

    @Test
    void activationRanksByMeanActivationOnTrueLabels() {
        // bpnn 2 -> 3: neuron 0 = x0, neuron 1 = x1, neuron 2 = 0.1 (bias only)
        float[] w = {1, 0, 0, 1, 0, 0};
        Model m = Model.builder(Architecture.BPNN).inputSize(2).numLabels(2)
                .addLayer(new DenseLayer(3, 2, w, new float[] {0, 0, 0.1f}))
                .classifier(new DenseLayer(2, 3, new float[6], new float[2])).build();
        Dataset data = new Dataset("three", 2, 2, new float[] {0.9f, 0.2f, 0.7f, 0.0f, 0.8f, 0.1f}, new int[] {0, 1, 0});
        double[][] a = NeuronSelection.meanActivations(m, data, 100, 1);
        assertArrayEquals(new double[] {0.8, 0.1, 0.1}, a[0], 1e-6);
        assertArrayEquals(new int[] {0, 1}, NeuronSelection.activation(m, new int[] {2}, data, 100, 1, false)[0],
                "tie between 1 and 2 goes to the lower index");
        assertArrayEquals(new int[] {1}, NeuronSelection.activation(m, new int[] {1}, data, 100, 1, true)[0]);
    }

    @Test
    void activationOnFfnnUsesTheTrueLabel() {
        // ffnn, image 1 pixel, 2 labels: neuron j reads only label column j → active only for label j.
        float[] w = {0, 1, 0, 0, 0, 1};
        Model m = Model.builder(Architecture.FFNN).inputSize(1).numLabels(2)
                .addLayer(new DenseLayer(2, 3, w, new float[2])).build();
        Dataset data = new Dataset("three", 1, 2, new float[] {0.5f, 0.5f, 0.5f}, new int[] {1, 1, 0});
        double[][] a = NeuronSelection.meanActivations(m, data, 3, 0);
        assertTrue(a[0][1] > a[0][0] * 1.9, Arrays.toString(a[0]));
        assertArrayEquals(new int[] {1}, NeuronSelection.activation(m, new int[] {1}, data, 3, 0, false)[0]);
        assertThrows(IllegalArgumentException.class, () -> NeuronSelection.activation(m, new int[] {1}, null, 3, 0, false));
    }

    @Test
    void keepCountsResolveClipAndReject() {
        assertArrayEquals(new int[] {100, 30}, KeepCounts.same(100).clipped(new int[] {200, 30}));
        assertTrue(KeepCounts.same(100).clips(new int[] {200, 30}));
        assertFalse(KeepCounts.same(30).clips(new int[] {200, 30}));
        IllegalArgumentException over = assertThrows(IllegalArgumentException.class,
                () -> KeepCounts.same(100).resolve(new int[] {200, 30}));
        assertEquals("cannot keep 100 neurons of hidden layer 1, which has 30 (widths [200, 30])", over.getMessage());
        assertArrayEquals(new int[] {30, 30}, KeepCounts.same(30).resolve(new int[] {200, 30}));
        assertArrayEquals(new int[] {5, 7}, KeepCounts.parse("5,7").resolve(new int[] {200, 30}));
        assertArrayEquals(new int[] {50, 8}, KeepCounts.parse("25%").resolve(new int[] {200, 30}));
        assertArrayEquals(new int[] {50, 8}, KeepCounts.parse("0.25").resolve(new int[] {200, 30}));
        assertArrayEquals(new int[] {1}, KeepCounts.ratio(0.001).resolve(new int[] {10}));
        assertEquals("5,7", KeepCounts.parse(" 5, 7").toString());
        for (String bad : new String[] {"0", "-3", "5,0", "abc", "1.5", "0%"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeepCounts.parse(bad), bad);
            assertFalse(e.getMessage().contains("\n"));
        }
        java.util.List<KeepCounts> list = KeepCounts.parseList("2000, 512/256 ,25%");
        assertEquals(3, list.size());
        assertArrayEquals(new int[] {1000, 300}, list.get(0).clipped(new int[] {1000, 300}));
        assertArrayEquals(new int[] {512, 256}, list.get(1).resolve(new int[] {1000, 300}));
        assertArrayEquals(new int[] {250, 75}, list.get(2).resolve(new int[] {1000, 300}));
        assertThrows(IllegalArgumentException.class, () -> KeepCounts.parseList(" , "));
        assertThrows(IllegalArgumentException.class, () -> KeepCounts.parseList("8,0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeepCounts.perLayer(1, 2, 3).resolve(new int[] {4, 4}));
        assertTrue(e.getMessage().contains("3 counts"), e.getMessage());
    }

    @Test
    void weightsZeroesTheSmallestFraction() {
        float[] w = {0.5f, -0.1f, 0.3f, -0.7f, 0.2f, 0.05f, -0.4f, 0.6f};
        Model m = Model.builder(Architecture.BPNN).inputSize(4).numLabels(2)
                .addLayer(new DenseLayer(2, 4, w, new float[] {1, 2}))
                .classifier(new DenseLayer(2, 2, new float[] {1, 2, 3, 4}, new float[2])).build();
        Model z = WeightPruning.zeroSmallest(m, new double[] {0.5});
        assertArrayEquals(new float[] {0.5f, 0, 0, -0.7f, 0, 0, -0.4f, 0.6f}, z.layers().get(0).weights());
        assertArrayEquals(new float[] {1, 2}, z.layers().get(0).biases());
        assertArrayEquals(new float[] {1, 2, 3, 4}, z.classifier().weights(), "classifier untouched");
        Model viaPruner = Pruner.prune(m, PruneSpec.of(PruneMethod.WEIGHTS, KeepCounts.same(1), 0), null, "abc");
        assertArrayEquals(z.layers().get(0).weights(), viaPruner.layers().get(0).weights(), "keep 1 of 2 → zero half");
    }

    @Test
    void prunedProvenanceAppendsToPruningArray() throws Exception {
        Model m = Models.random(Architecture.FFNN, 6, 2, new int[] {8, 6}, 1).toBuilder()
                .provenance("{\"dataset\":\"mnist\",\"pruning\":[{\"method\":\"magnitude\"}]}").build();
        Pruner pruner = new Pruner(Models::serialize);
        Model p = pruner.prune(m, PruneSpec.of(PruneMethod.RANDOM, KeepCounts.perLayer(3, 2), 42), null);
        assertArrayEquals(new int[] {3, 2}, p.widths());
        JsonNode j = new ObjectMapper().readTree(p.provenance());
        assertEquals("mnist", j.get("dataset").asText());
        assertEquals(2, j.get("pruning").size());
        JsonNode e = j.get("pruning").get(1);
        assertEquals("random", e.get("method").asText());
        assertEquals("3,2", e.get("keep").asText());
        assertEquals(42, e.get("seed").asLong());
        assertEquals(3, e.get("kept").get(0).asInt());
        assertEquals(8, e.get("widths_before").get(0).asInt());
        assertEquals(Sha256.hex(Models.serialize(m)), e.get("source_sha256").asText());
        assertEquals(64, e.get("source_sha256").asText().length());
    }

    private static Set<Integer> set(int[] a) {
        Set<Integer> s = new HashSet<>();
        for (int v : a) {
            s.add(v);
        }
        return s;
    }
}
