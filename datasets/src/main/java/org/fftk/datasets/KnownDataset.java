package org.fftk.datasets;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The datasets fftk knows (SPEC §1, §8): folder name, file names, SHA-256 of each DECOMPRESSED
 * file (shared/datasets/README.md), and where they can be downloaded. Files may be stored raw or
 * gzip-compressed ({@code name.gz}).
 */
public enum KnownDataset {
    MNIST("mnist", checksums(
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
            Arrays.asList("https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/")),
    FASHION_MNIST("fashion-mnist", checksums(
            "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
            Arrays.asList("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")),
    /** CIFAR-10 binary version; no published SHA-256 of the decompressed files, so it is located but not verified. */
    CIFAR10("cifar10", nochecksums("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
            "data_batch_5.bin", "test_batch.bin"), Collections.<String>emptyList());

    private final String id;
    private final Map<String, String> sha256;
    private final List<String> mirrors;

    KnownDataset(String id, Map<String, String> sha256, List<String> mirrors) {
        this.id = id;
        this.sha256 = Collections.unmodifiableMap(sha256);
        this.mirrors = Collections.unmodifiableList(mirrors);
    }

    /** Folder name and command-line name: mnist, fashion-mnist, cifar10. */
    public String id() {
        return id;
    }

    /** File names (without .gz) in a fixed order. */
    public List<String> files() {
        return Collections.unmodifiableList(Arrays.asList(sha256.keySet().toArray(new String[0])));
    }

    /** SHA-256 (lower-case hex) of the decompressed file, or null when none is published. */
    public String sha256(String file) {
        return sha256.get(file);
    }

    public boolean verifiable() {
        return !sha256.containsValue(null);
    }

    /** Base URLs holding {@code <file>.gz}. */
    public List<String> mirrors() {
        return mirrors;
    }

    /** The matching name for edge-runtime's readers ({@code Datasets.load}). */
    public org.fftk.edge.data.DatasetName datasetName() {
        return org.fftk.edge.data.DatasetName.fromId(id);
    }

    public static KnownDataset of(org.fftk.edge.data.DatasetName n) {
        return fromId(n.id());
    }

    public static KnownDataset fromId(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (KnownDataset d : values()) {
            if (d.id.equals(k) || d.name().toLowerCase(Locale.ROOT).equals(k) || d.id.replace("-", "").equals(k)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + s + "' (expected mnist, fashion-mnist or cifar10)");
    }

    private static Map<String, String> checksums(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, String> nochecksums(String... names) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, null);
        }
        return m;
    }

    @Override
    public String toString() {
        return id;
    }
}
