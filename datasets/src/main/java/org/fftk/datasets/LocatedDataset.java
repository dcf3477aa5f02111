package org.fftk.datasets;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a dataset's files are: the directory, the path of each file (raw or .gz), which search
 * step found it ({@code explicit}, {@code FFTK_DATA}, {@code cache}, {@code system},
 * {@code download:<source>}), and whether every file matched its SHA-256.
 */
public final class LocatedDataset {
    private final KnownDataset dataset;
    private final Path dir;
    private final Map<String, Path> files;
    private final String source;
    private final boolean verified;

    public LocatedDataset(KnownDataset dataset, Path dir, Map<String, Path> files, String source, boolean verified) {
        this.dataset = dataset;
        this.dir = dir;
        this.files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        this.source = source;
        this.verified = verified;
    }

    public KnownDataset dataset() {
        return dataset;
    }

    public Path dir() {
        return dir;
    }

    /** The path of a file by its plain name (e.g. train-images-idx3-ubyte), possibly ending in .gz. */
    public Path file(String name) {
        Path p = files.get(name);
        if (p == null) {
            throw new IllegalArgumentException(dataset + " has no file " + name);
        }
        return p;
    }

    public Map<String, Path> files() {
        return files;
    }

    public String source() {
        return source;
    }

    public boolean verified() {
        return verified;
    }

    @Override
    public String toString() {
        return dataset + " in " + dir + " (" + source + (verified ? ", verified" : ", not verified") + ")";
    }
}
