package org.fftk.trainer;

import org.fftk.edge.data.Dataset;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fftk.edge.data.DatasetName;
import org.fftk.edge.data.Datasets;
import org.fftk.edge.data.Split;

/** Real MNIST for the tests: $FFTK_DATA/mnist or shared/datasets/mnist above the working dir; skips visibly. */
final class TestData {
    private static Dataset train;
    private static Dataset test;

    private TestData() {
    }

    static Path mnistDir() {
        String env = System.getenv("FFTK_DATA");
        if (env != null && !env.isEmpty() && !env.startsWith("${") && Files.isDirectory(Path.of(env, "mnist"))) {
            return Path.of(env, "mnist");
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared").resolve("datasets").resolve("mnist");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    static synchronized Dataset mnistTrain() {
        Path dir = mnistDir();
        assumeTrue(dir != null, "real MNIST not found ($FFTK_DATA/mnist or shared/datasets/mnist): test skipped");
        if (train == null) {
            try {
                train = (Datasets.load(DatasetName.MNIST, dir, Split.TRAIN));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return train;
    }

    static synchronized Dataset mnistTest() {
        Path dir = mnistDir();
        assumeTrue(dir != null, "real MNIST not found ($FFTK_DATA/mnist or shared/datasets/mnist): test skipped");
        if (test == null) {
            try {
                test = (Datasets.load(DatasetName.MNIST, dir, Split.TEST));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return test;
    }
}
