package org.fftk.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks made before long work, so a bad output path fails in a second, not after an hour of training. */
final class OutputFiles {
    private OutputFiles() {
    }

    /** Fails with a one-line message unless {@code file} can be created or replaced. */
    static void checkWritable(Path file) {
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new IllegalArgumentException(file + " is a directory, not a file");
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            throw new IllegalArgumentException(file + " is not a regular file (a device, pipe or socket is never replaced)");
        }
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("cannot write " + file + ": folder " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("cannot write " + file + ": folder " + dir + " is not writable");
        }
    }

    /** {@link #checkWritable} for an output derived from {@code source}, which it must not overwrite. */
    static void checkTarget(Path out, Path source) {
        checkWritable(out);
        if (out.toAbsolutePath().normalize().equals(source.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out must differ from the source model");
        }
    }
}
