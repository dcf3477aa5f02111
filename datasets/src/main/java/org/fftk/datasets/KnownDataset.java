package org.fftk.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.fftk.edge.data.DatasetName;
import org.fftk.edge.data.Split;

/**
 * The datasets fftk knows (docs/algorithms.md "Data", "Datasets on a user's machine"): folder name, file names, SHA-256 of each DECOMPRESSED
 * file (shared/datasets/README.md), and where they can be downloaded. Files may be stored raw or
 * gzip-compressed ({@code name.gz}).
 */
public enum KnownDataset {
    MNIST(DatasetName.MNIST, Map.of(
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
            Arrays.asList("https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/")),
    FASHION_MNIST(DatasetName.FASHION_MNIST, Map.of(
            "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
            Arrays.asList("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")),
    /** CIFAR-10 binary version; no published SHA-256 of the decompressed files, so it is located but not verified. */
    CIFAR10(DatasetName.CIFAR10, Map.of(), Collections.<String>emptyList());

    private final DatasetName name;
    private final List<String> files;
    private final Map<String, String> sha256;
    private final List<String> mirrors;

    /** @param sha256 SHA-256 of each decompressed file, by file name (empty: none published) */
    KnownDataset(DatasetName name, Map<String, String> sha256, List<String> mirrors) {
        this.name = name;
        List<String> f = new ArrayList<>(name.files(Split.TRAIN));
        f.addAll(name.files(Split.TEST));
        this.files = Collections.unmodifiableList(f);
        this.sha256 = sha256;
        this.mirrors = Collections.unmodifiableList(mirrors);
    }

    /** Folder name and command-line name: mnist, fashion-mnist, cifar10 ({@link DatasetName#id()}). */
    public String id() {
        return name.id();
    }

    /** File names (without .gz), training split first: {@link DatasetName#files}. */
    public List<String> files() {
        return files;
    }

    /** SHA-256 (lower-case hex) of the decompressed file, or null when none is published. */
    public String sha256(String file) {
        return sha256.get(file);
    }

    public boolean verifiable() {
        return sha256.keySet().containsAll(files);
    }

    /** Base URLs holding {@code <file>.gz}. */
    public List<String> mirrors() {
        return mirrors;
    }

    /** The matching name for edge-runtime's readers ({@code Datasets.load}). */
    public DatasetName datasetName() {
        return name;
    }

    public static KnownDataset of(DatasetName n) {
        for (KnownDataset d : values()) {
            if (d.name == n) {
                return d;
            }
        }
        throw new AssertionError(n);
    }

    /** By command-line name, with the aliases {@link DatasetName#fromId} accepts. */
    public static KnownDataset fromId(String s) {
        return of(DatasetName.fromId(s));
    }

    @Override
    public String toString() {
        return id();
    }
}
