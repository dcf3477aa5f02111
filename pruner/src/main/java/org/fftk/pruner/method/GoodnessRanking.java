package org.fftk.pruner.method;

import org.fftk.edge.data.Dataset;
import org.fftk.edge.infer.LayerSink;
import org.fftk.edge.infer.Trace;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;

/**
 * The FF-aware neuron ranking (docs/algorithms.md, "Pruning": goodness). FF training drives each
 * layer's goodness z = mean_j h_j² − θ apart on positive data (true label) and negative data (a
 * wrong label): up on positive data for {@code maximize} (s = +1), down for {@code minimize}
 * (s = −1). Neuron j's share of that separation is
 *
 * <pre>  g_j = s · (E_pos[h_j²] − E_neg[h_j²]) / n</pre>
 *
 * over a sample of training images, the negative term averaged over all L − 1 wrong labels (the
 * distribution negatives are drawn from in training); for ffrnn also over the counted frames
 * K_testlow..K_testhigh. Keep the largest. ffnn-c's FF layers are ranked as the FFNN they were
 * trained as (its classifier then loses the matching columns). ffcnn's "neurons" are filters:
 * filter j's share sums h² over its whole output plane (all pixels of channel j), divided by the
 * layer's units. bpnn and bpcnn have no goodness: refused.
 * Unlike activation ranking, this reads the objective's sign, so it does the right thing for
 * minimize-trained models, where positive data has LOW activity.
 *
 * <p>Measured alternative, not used: the first-order growth of the layer's FF loss,
 * s·σ(−s·z⁺)·h_j⁺² − s·σ(s·z⁻)·h_j⁻² (per-example logistic weights). On models/mnist-ffnn-2x200.onnx
 * (test split, one-shot) it kept 83.7% at 7.3× and 54.9% at 14.5×, against 85.1% and 72.9% for the
 * unweighted gap above: in a trained model most examples are far from the threshold, their
 * logistic weights vanish, and the ranking rests on the few hard ones.
 */
public final class GoodnessRanking {
    private GoodnessRanking() {
    }

    /** Per layer and neuron, the goodness-gap share g_j (see the class comment). */
    public static double[][] scores(Model m, Dataset train, int sampleSize, long seed) {
        RankingSample sample = RankingSample.of(m, train, sampleSize, seed, "goodness");
        int[] truth = sample.truth;
        // ffnn-c, ffcnn-c: their FF layers, as the ffnn / ffcnn they were trained as
        Model ff = m.goodnessModel();
        int labels = m.numLabels();
        boolean recurrent = m.architecture() == Architecture.FFRNN;
        int low = recurrent ? m.testFrameLow() : 0;
        int high = recurrent ? m.testFrameHigh() : 0;
        double sign = m.objective() == Objective.MAXIMIZE ? 1 : -1;
        int nl = m.layers().size();
        double[][] score = new double[nl][];
        for (int l = 0; l < nl; l++) {
            score[l] = new double[m.layers().get(l).out()];
        }
        Trace.run(ff, sample.images, 0, sample.size(), new LayerSink() {
            @Override
            public void layer(int image, int candidate, int layer, int frame, float[] h, double z) {
                if (candidate < 0 || frame < low || frame > high) {
                    return;
                }
                double weight = candidate == truth[image] ? sign : -sign / (labels - 1);
                double[] sc = score[layer];
                int plane = h.length / sc.length; // ffcnn: a filter's output pixels (CHW); dense: 1
                for (int j = 0; j < sc.length; j++) {
                    sc[j] += weight * RankingSample.energy(h, plane, j);
                }
            }
        });
        double frames = high - low + 1;
        int[] widths = m.widths();
        for (int l = 0; l < nl; l++) {
            double units = m.conv() != null ? m.conv().units(l, widths) : widths[l];
            for (int j = 0; j < score[l].length; j++) {
                score[l][j] /= sample.size() * frames * units;
            }
        }
        return score;
    }
}
