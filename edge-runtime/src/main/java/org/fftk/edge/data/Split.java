package org.fftk.edge.data;

import java.util.Locale;

/** Which part of a dataset: the official training or test set (the validation split is cut from train by the trainer). */
public enum Split {
    TRAIN("train"),
    TEST("test");

    private final String id;

    Split(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Split fromId(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (Split v : values()) {
            if (v.id.equals(k)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown split '" + s + "' (expected train or test)");
    }

    @Override
    public String toString() {
        return id;
    }
}
