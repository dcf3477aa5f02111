package org.fftk.cli;

/** Small formatting helpers for model shapes. */
final class ModelDescription {
    private ModelDescription() {
    }

    /** [2000, 2000] → "2x2000"; [500, 300] → "500,300". */
    static String widths(int[] w) {
        boolean same = true;
        for (int v : w) {
            same &= v == w[0];
        }
        if (same) {
            return w.length + "x" + w[0];
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            b.append(i == 0 ? "" : ",").append(w[i]);
        }
        return b.toString();
    }
}
