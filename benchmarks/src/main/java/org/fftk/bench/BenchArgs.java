package org.fftk.bench;

import java.util.HashMap;
import java.util.Map;

/** The {@code key=value} arguments of the benchmark mains (TrainSpeed, FfrnnProfile). */
final class BenchArgs {
    private final Map<String, String> values = new HashMap<>();

    BenchArgs(String[] args) {
        for (String s : args) {
            int i = s.indexOf('=');
            if (i <= 0) {
                throw new IllegalArgumentException("arguments are key=value, got '" + s + "'");
            }
            values.put(s.substring(0, i), s.substring(i + 1));
        }
    }

    String get(String key, String orElse) {
        return values.getOrDefault(key, orElse);
    }

    int integer(String key, int orElse) {
        return Integer.parseInt(get(key, String.valueOf(orElse)));
    }

    /** Comma-separated hidden widths under {@code key}. */
    int[] widths(String key, String orElse) {
        String[] ws = get(key, orElse).split(",");
        int[] w = new int[ws.length];
        for (int i = 0; i < ws.length; i++) {
            w[i] = Integer.parseInt(ws[i].trim());
        }
        return w;
    }
}
