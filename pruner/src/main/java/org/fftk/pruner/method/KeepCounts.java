package org.fftk.pruner.method;

import java.util.Arrays;
import java.util.Locale;

/**
 * How many neurons each hidden layer keeps: the same t for every layer, one t per layer, or a ratio
 * of each layer's width. {@link #resolve} turns it into per-layer counts (an error when a count
 * exceeds its layer); {@link #clipped} clips them to the widths instead.
 */
public final class KeepCounts {
    private final int[] counts;
    private final double ratio;

    private KeepCounts(int[] counts, double ratio) {
        this.counts = counts;
        this.ratio = ratio;
    }

    /** The same t for every hidden layer. */
    public static KeepCounts same(int t) {
        checkCount(t);
        return new KeepCounts(new int[] {t}, Double.NaN);
    }

    /** One count per hidden layer, bottom to top. */
    public static KeepCounts perLayer(int... ts) {
        if (ts.length == 0) {
            throw new IllegalArgumentException("keep list is empty");
        }
        for (int t : ts) {
            checkCount(t);
        }
        return new KeepCounts(ts.clone(), Double.NaN);
    }

    /** A fraction r in (0, 1] of every layer's width, rounded, at least 1. */
    public static KeepCounts ratio(double r) {
        if (!(r > 0 && r <= 1)) {
            throw new IllegalArgumentException("keep ratio must be in (0, 1], got " + r);
        }
        return new KeepCounts(null, r);
    }

    /**
     * Parses "512" (same t), "512,256" (per layer), "0.25" or "25%" (ratio).
     *
     * @throws IllegalArgumentException with a one-line message for anything else
     */
    public static KeepCounts parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("%")) {
                return ratio(Double.parseDouble(v.substring(0, v.length() - 1).trim()) / 100.0);
            }
            if (v.contains(",")) {
                String[] p = v.split(",");
                int[] t = new int[p.length];
                for (int i = 0; i < p.length; i++) {
                    t[i] = Integer.parseInt(p[i].trim());
                }
                return perLayer(t);
            }
            if (v.contains(".")) {
                return ratio(Double.parseDouble(v));
            }
            return same(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read keep count '" + s
                    + "' (expected e.g. 512, 512,256, 0.25 or 25%)");
        }
    }

    /**
     * Parses a sweep's keep list: comma-separated entries, each a count for every layer ("512"), a
     * per-layer list joined by '/' ("512/256"), a ratio ("0.25") or a percentage ("25%"). Example:
     * "2000,1500,1024,512/256".
     *
     * @throws IllegalArgumentException for an empty list or a bad entry (one-line message)
     */
    public static java.util.List<KeepCounts> parseList(String s) {
        java.util.List<KeepCounts> r = new java.util.ArrayList<>();
        for (String e : s.split(",")) {
            String v = e.trim();
            if (v.isEmpty()) {
                continue;
            }
            r.add(parse(v.replace('/', ',')));
        }
        if (r.isEmpty()) {
            throw new IllegalArgumentException("keep list '" + s + "' is empty");
        }
        return r;
    }

    private static void checkCount(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("keep count must be at least 1, got " + t);
        }
    }

    /**
     * Per-layer counts for a model with these hidden widths. A ratio never exceeds a width; an
     * explicit count larger than its layer is an error (asking to keep 300 of 200 neurons is a
     * mistake, not a request to keep all).
     *
     * @throws IllegalArgumentException when a per-layer list has the wrong length or a count exceeds its layer
     */
    public int[] resolve(int[] widths) {
        int[] r = clipped(widths);
        for (int l = 0; l < widths.length; l++) {
            int t = requested(l);
            if (t > widths[l]) {
                throw new IllegalArgumentException("cannot keep " + t + " neurons of hidden layer " + l + ", which has "
                        + widths[l] + " (widths " + Arrays.toString(widths) + ")");
            }
        }
        return r;
    }

    /** As {@link #resolve}, but each count clipped to its layer's width (sweeps over several models). */
    public int[] clipped(int[] widths) {
        int[] r = new int[widths.length];
        if (counts == null) {
            for (int l = 0; l < widths.length; l++) {
                r[l] = (int) Math.max(1, Math.min(widths[l], Math.round(ratio * widths[l])));
            }
            return r;
        }
        if (counts.length != 1 && counts.length != widths.length) {
            throw new IllegalArgumentException("keep list has " + counts.length + " counts but the model has "
                    + widths.length + " hidden layers");
        }
        for (int l = 0; l < widths.length; l++) {
            r[l] = Math.min(requested(l), widths[l]);
        }
        return r;
    }

    /** True when {@link #clipped} changes a requested count for these widths. */
    public boolean clips(int[] widths) {
        if (counts == null) {
            return false;
        }
        for (int l = 0; l < widths.length; l++) {
            if (requested(l) > widths[l]) {
                return true;
            }
        }
        return false;
    }

    private int requested(int layer) {
        return counts == null ? 0 : counts.length == 1 ? counts[0] : counts[layer];
    }

    /** True for a ratio. */
    public boolean isRatio() {
        return counts == null;
    }

    /** The text {@link #parse} reads back: "512", "512,256" or "0.25". */
    @Override
    public String toString() {
        if (counts == null) {
            return Double.toString(ratio);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append(counts[i]);
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeepCounts && Arrays.equals(counts, ((KeepCounts) o).counts)
                && Double.compare(ratio, ((KeepCounts) o).ratio) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + Double.hashCode(ratio);
    }
}
