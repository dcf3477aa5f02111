package org.fftk.pruner.sweep;

/**
 * How a sweep curve's points were made, as its label spells it: the pruning method's label, then
 * {@code +ftN} when the pruned models were fine-tuned for N epochs, then {@code +int8} when their
 * weights were quantised (e.g. {@code magnitude+ft3+int8}). Reference models trained small from
 * scratch use the method {@link #SCRATCH}, factored ones {@link #LOWRANK}.
 *
 * @param method     the pruning method's label ({@code PruneSpec.label()}), or {@link #SCRATCH}
 * @param finetuned  epochs of fine-tuning, 0 for none
 * @param int8       whether the weights are int8
 */
public record Variant(String method, int finetuned, boolean int8) {
    /** The method of reference points: the same architecture trained at the smaller widths. */
    public static final String SCRATCH = "scratch";
    /** The method of reference points factored by {@code fftk factor} (docs/algorithms.md "Low-rank layers"). */
    public static final String LOWRANK = "lowrank";

    /**
     * A reference model's variant: {@link #LOWRANK} when it has factored layers (with +ftN for the
     * epochs of its last fine-tuning record), else {@link #SCRATCH}.
     */
    public static Variant reference(org.fftk.edge.model.Model m, boolean int8) {
        if (!m.isFactored()) {
            return new Variant(SCRATCH, 0, int8);
        }
        int ft = 0;
        try {
            com.fasterxml.jackson.databind.JsonNode tuned = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(m.provenance()).path("finetuning");
            if (tuned.isArray() && tuned.size() > 0) {
                ft = tuned.get(tuned.size() - 1).path("epochs").asInt(0);
            }
        } catch (java.io.IOException e) {
            ft = 0; // a provenance that is not JSON records no fine-tuning
        }
        return new Variant(LOWRANK, ft, int8);
    }

    /** A reference point's keep label: its widths, or for a factored model "r" and its ranks (r64;32). */
    public static String referenceKeep(org.fftk.edge.model.Model m) {
        return m.isFactored() ? "r" + SweepPoint.keepLabel(m.ranks()) : SweepPoint.keepLabel(m.widths());
    }

    public String label() {
        return method + (finetuned > 0 ? "+ft" + finetuned : "") + (int8 ? "+int8" : "");
    }

    /** Reads a {@link #label()} back. */
    public static Variant parse(String label) {
        String s = label;
        boolean q = s.endsWith("+int8");
        if (q) {
            s = s.substring(0, s.length() - "+int8".length());
        }
        int ft = 0;
        int i = s.lastIndexOf("+ft");
        if (i >= 0) {
            try {
                ft = Integer.parseInt(s.substring(i + 3));
                s = s.substring(0, i);
            } catch (NumberFormatException e) {
                ft = 0;
            }
        }
        return new Variant(s, ft, q);
    }
}
