package org.fftk.pruner.sweep;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fftk.edge.io.AtomicFiles;

/**
 * DIR/sweep.json, kept in memory and rewritten atomically (temp file + move) after every change, so
 * an interrupted sweep leaves a complete file with every point finished so far.
 */
final class SweepStore {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private final String testSha256;
    private final int testSize;
    private final Map<String, SweepBaseline> baselines = new LinkedHashMap<>();
    private final Map<String, SweepPoint> points = new LinkedHashMap<>();

    private SweepStore(Path file, String testSha256, int testSize) {
        this.file = file;
        this.testSha256 = testSha256;
        this.testSize = testSize;
    }

    /** Opens DIR/sweep.json, or starts empty when it does not exist. */
    static SweepStore open(Path file, String testSha256, int testSize) throws IOException {
        SweepStore s = new SweepStore(file, testSha256, testSize);
        if (Files.exists(file)) {
            SweepFile f = read(file);
            if (!SweepFile.FORMAT.equals(f.format())) {
                throw new IllegalArgumentException(file + " has format '" + f.format() + "', expected "
                        + SweepFile.FORMAT);
            }
            if (!testSha256.equals(f.testSha256())) {
                throw new IllegalArgumentException(file + " was measured on a different test set; use another "
                        + "output directory or remove the file");
            }
            for (SweepBaseline b : nullToEmpty(f.baselines())) {
                s.baselines.put(b.modelSha256(), b);
            }
            for (SweepPoint p : nullToEmpty(f.points())) {
                s.points.put(p.key(), p);
            }
        }
        return s;
    }

    static SweepFile read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), SweepFile.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(file + " is not a readable sweep file (" + firstLine(e.getOriginalMessage())
                    + "); move it away or use another output directory");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed JSON";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static <T> List<T> nullToEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    synchronized SweepBaseline baseline(String sha) {
        return baselines.get(sha);
    }

    synchronized boolean has(String key) {
        return points.containsKey(key);
    }

    synchronized int size() {
        return points.size();
    }

    synchronized void add(SweepBaseline b) {
        baselines.put(b.modelSha256(), b);
        save();
    }

    synchronized void add(SweepPoint p) {
        points.put(p.key(), p);
        save();
    }

    synchronized SweepFile snapshot() {
        return new SweepFile(SweepFile.FORMAT, testSha256, testSize, new ArrayList<>(baselines.values()),
                new ArrayList<>(points.values()));
    }

    synchronized void save() {
        try {
            byte[] bytes = JSON.writeValueAsBytes(snapshot());
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
