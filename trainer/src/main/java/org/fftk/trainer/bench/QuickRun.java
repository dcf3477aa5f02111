package org.fftk.trainer.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.fftk.edge.data.Datasets;
import org.fftk.edge.data.Split;
import org.fftk.datasets.DatasetLocator;
import org.fftk.datasets.KnownDataset;
import org.fftk.datasets.LocatedDataset;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.ConsoleProgress;
import org.fftk.trainer.TrainConfig;
import org.fftk.trainer.TrainData;
import org.fftk.trainer.TrainResult;
import org.fftk.trainer.Trainer;

/**
 * Trains one configuration and reports test accuracy and wall times. Arguments are key=value:
 * dataset (mnist), arch, widths (e.g. 500,500), epochs, batch, lr, theta, objective, seed, limit,
 * val (fraction), evalEvery (validation every N epochs; 0 = the last only), history (path), clr (ffnn-c classifier lr), frames (ffrnn
 * training frames).
 */
public final class QuickRun {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        java.util.Map<String, String> a = new java.util.HashMap<>();
        for (String s : args) {
            int i = s.indexOf('=');
            a.put(s.substring(0, i), s.substring(i + 1));
        }
        String ds = a.getOrDefault("dataset", "mnist");
        KnownDataset kd = KnownDataset.fromId(ds);
        LocatedDataset loc = DatasetLocator.builder().explicitDir(a.containsKey("data") ? Path.of(a.get("data")) : null)
                .log(System.err).build().locate(kd);
        TrainData train = TrainData.of(Datasets.load(kd.datasetName(), loc.dir(), Split.TRAIN));
        TrainData test = TrainData.of(Datasets.load(kd.datasetName(), loc.dir(), Split.TEST));
        Architecture arch = Architecture.fromId(a.getOrDefault("arch", "ffnn"));
        TrainConfig c = TrainConfig.defaults(arch);
        if (a.containsKey("widths")) {
            String[] p = a.get("widths").split(",");
            int[] w = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                w[i] = Integer.parseInt(p[i].trim());
            }
            c = c.withWidths(w);
        }
        if (a.containsKey("epochs")) c = c.withEpochs(Integer.parseInt(a.get("epochs")));
        if (a.containsKey("batch")) c = c.withBatchSize(Integer.parseInt(a.get("batch")));
        if (a.containsKey("lr")) c = c.withLearningRate(Float.parseFloat(a.get("lr")));
        if (a.containsKey("theta")) c = c.withTheta(Float.parseFloat(a.get("theta")));
        if (a.containsKey("objective")) c = c.withObjective(Objective.fromId(a.get("objective")));
        if (a.containsKey("seed")) c = c.withSeed(Long.parseLong(a.get("seed")));
        if (a.containsKey("limit")) c = c.withLimitTrain(Integer.parseInt(a.get("limit")));
        if (a.containsKey("val")) c = c.withValidationFraction(Double.parseDouble(a.get("val")));
        if (a.containsKey("evalEvery")) c = c.withEvaluateEvery(Integer.parseInt(a.get("evalEvery")));
        if (a.containsKey("clr")) c = c.withClassifierLearningRate(Float.parseFloat(a.get("clr")));
        if (a.containsKey("frames")) c = c.withTrainFrames(Integer.parseInt(a.get("frames")));
        if (a.containsKey("history")) c = c.withHistoryPath(Path.of(a.get("history")));
        double load = (System.nanoTime() - t0) / 1e9;
        System.out.println("config: " + c);
        long t1 = System.nanoTime();
        TrainResult r = Trainer.train(c, train, ConsoleProgress.create());
        double trainS = (System.nanoTime() - t1) / 1e9;
        long t2 = System.nanoTime();
        double acc = Trainer.accuracy(r.model(), test, c.device());
        double testS = (System.nanoTime() - t2) / 1e9;
        System.out.printf(Locale.ROOT, "RESULT dataset=%s %s | test accuracy %.2f%% | load %.1f s, train %.1f s, test %.1f s, total %.1f s%n",
                ds, c, 100 * acc, load, trainS, testS, (System.nanoTime() - t0) / 1e9);
    }
}
