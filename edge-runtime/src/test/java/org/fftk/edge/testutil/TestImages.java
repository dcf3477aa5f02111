package org.fftk.edge.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where tests find real datasets ($FFTK_DATA, else a shared/datasets folder above the working directory), and test images. */
public final class TestImages {
    private TestImages() {
    }

    /** The datasets root, or null when absent (tests then skip visibly). */
    public static Path datasetsRoot() {
        String env = System.getenv("FFTK_DATA");
        if (env != null && !env.isEmpty() && !env.startsWith("${") && Files.isDirectory(Paths.get(env))) {
            return Paths.get(env);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("datasets");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        return null;
    }

    /**
     * n MNIST-sized test images: sparse synthetic ones (≈80% zeros), plus one all-zero and one
     * dense image when n ≥ 3 (edge cases of the norm and the sparse loops).
     */
    public static float[] mixed(int n) {
        float[] x = RandomModels.sparseImages(1234 + n, n, 784, 0.8);
        if (n >= 3) {
            java.util.Arrays.fill(x, 784, 2 * 784, 0f);
            float[] dense = RandomModels.sparseImages(99, 1, 784, 0.0);
            System.arraycopy(dense, 0, x, 2 * 784, 784);
        }
        return x;
    }
}
