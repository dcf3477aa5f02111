package org.fftk.edge.model;

import java.util.Locale;

/**
 * Which way positive data pushes a layer's goodness (docs/algorithms.md "FF layer").
 * MAXIMIZE: positive data has high activity, predict by argmax of goodness.
 * MINIMIZE: positive data has low activity, predict by argmin.
 */
public enum Objective {
    MAXIMIZE("maximize"),
    MINIMIZE("minimize");

    private final String id;

    Objective(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Objective fromId(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (Objective o : values()) {
            if (o.id.equals(k)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown objective '" + s + "' (expected maximize or minimize)");
    }

    @Override
    public String toString() {
        return id;
    }
}
