package org.fftk.pruner.sweep;

import java.nio.file.Path;
import java.util.List;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.pruner.io.ModelFiles;
import org.fftk.pruner.method.KeepCounts;
import org.fftk.pruner.method.PruneSpec;
import org.fftk.pruner.method.Pruner;

/** The sweep's answer to "what is the smallest model that keeps its accuracy?" ({@code fftk sweep --best-within}). */
public final class SweepBest {
    private SweepBest() {
    }

    /**
     * Re-creates the smallest point of a sweep whose accuracy is within {@code tolerance} (a fraction,
     * 0.01 = 1 point) of its model's unpruned accuracy, among the given models, and writes it to
     * {@code out} (atomically); returns that point, or null (nothing written) when none qualifies.
     * Ties in file size go to the more accurate point.
     */
    public static SweepPoint write(SweepResult r, List<SweepModel> models, Dataset train, double tolerance, Path out,
                                   FineTuning fineTuning) throws Exception {
        java.util.Map<String, Double> base = new java.util.HashMap<>();
        for (SweepBaseline b : r.file().baselines()) {
            base.put(b.modelSha256(), b.accuracy());
        }
        java.util.Set<String> current = new java.util.HashSet<>();
        for (SweepModel m : models) {
            current.add(m.sha256());
        }
        SweepPoint best = null;
        for (SweepPoint p : r.file().points()) {
            Double b = base.get(p.modelSha256());
            if (b == null || !current.contains(p.modelSha256()) || p.accuracy() < b - tolerance - 1e-12) {
                continue;
            }
            Variant v = Variant.parse(p.method());
            if (Variant.SCRATCH.equals(v.method()) || Variant.LOWRANK.equals(v.method())) {
                continue; // a reference (trained from scratch or factored), not a pruned model to re-create
            }
            if (v.finetuned() > 0 && (fineTuning == null || fineTuning.epochs() != v.finetuned())) {
                continue; // a fine-tuned point of another run: this one cannot re-create it
            }
            if (best == null || p.fileBytes() < best.fileBytes()
                    || (p.fileBytes() == best.fileBytes() && p.accuracy() > best.accuracy())) {
                best = p;
            }
        }
        if (best == null) {
            return null;
        }
        SweepModel src = null;
        for (SweepModel m : models) {
            if (m.sha256().equals(best.modelSha256())) {
                src = m;
            }
        }
        Variant v = Variant.parse(best.method());
        PruneSpec spec = PruneSpec.fromLabel(v.method(), KeepCounts.perLayer(best.kept()), best.seed());
        Model pruned = Pruner.prune(src.model(), spec, train, src.sha256());
        if (v.finetuned() > 0) {
            pruned = fineTuning.tune().apply(pruned);
        }
        if (v.int8()) {
            pruned = pruned.quantized();
        }
        ModelFiles.write(pruned, out);
        return best;
    }

}
