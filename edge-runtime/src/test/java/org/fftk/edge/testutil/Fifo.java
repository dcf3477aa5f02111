package org.fftk.edge.testutil;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;

/** Named pipes for the tests that feed one where a file is expected; skips visibly without mkfifo. */
public final class Fifo {
    private Fifo() {
    }

    /** Creates a named pipe at {@code p} (the test is skipped where mkfifo is missing or fails). */
    public static Path create(Path p) throws IOException, InterruptedException {
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", p.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo on this system: test skipped");
            return p;
        }
        assumeTrue(mk.waitFor() == 0, "mkfifo failed: test skipped");
        return p;
    }
}
