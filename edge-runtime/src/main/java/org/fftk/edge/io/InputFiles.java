package org.fftk.edge.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens input files safely. Only regular files are read: a directory, a device such as
 * {@code /dev/zero} or a named pipe is refused before it is opened (a pipe without a writer would
 * block the open forever, a device would be read until the heap is gone). Whole-file reads open the
 * file once and stop at a size bound, so a file that grows while it is read cannot exhaust memory.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Checks that {@code file} exists and is a regular file (links are followed).
     *
     * @return its size in bytes
     * @throws NoSuchFileException when it does not exist
     * @throws IOException         naming the file, when it is a directory or not a regular file
     */
    public static long requireRegular(Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString());
        }
        if (a.isDirectory()) {
            throw new IOException(file + " is a directory, not a file");
        }
        if (!a.isRegularFile()) {
            throw new IOException(file + " is not a regular file (a device, pipe or socket cannot be read)");
        }
        return a.size();
    }

    /**
     * Whether {@code file} is a named pipe (FIFO), from the "unix" attribute view's mode bits
     * (S_IFIFO = 0010000 in S_IFMT = 0170000); false where that view is missing or the file is not there.
     */
    public static boolean isFifo(Path file) {
        try {
            Object mode = Files.getAttribute(file, "unix:mode");
            return mode instanceof Integer && ((Integer) mode & 0170000) == 0010000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Opens a regular file for reading (see {@link #requireRegular}). */
    public static InputStream open(Path file) throws IOException {
        requireRegular(file);
        return Files.newInputStream(file);
    }

    /**
     * Reads a whole regular file, opening it once.
     *
     * @param what     what the file is, for the message ("model file")
     * @param maxBytes the largest accepted size
     * @throws IOException naming the file when it is not a regular file or larger than {@code maxBytes}
     */
    public static byte[] readAll(Path file, long maxBytes, String what) throws IOException {
        long size = requireRegular(file);
        if (size > maxBytes) {
            throw tooLarge(file, what, size, maxBytes);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = new byte[(int) size];
            int have = 0;
            while (have < b.length) {
                int n = in.read(b, have, b.length - have);
                if (n < 0) {
                    break;
                }
                have += n;
            }
            if (have < b.length) {
                throw new IOException(file + ": the " + what + " shrank while it was read (" + have + " of " + size
                        + " bytes)");
            }
            if (in.read() >= 0) {
                throw new IOException(file + ": the " + what + " grew while it was read (more than " + size
                        + " bytes)");
            }
            return b;
        }
    }

    private static IOException tooLarge(Path file, String what, long size, long max) {
        return new IOException(file + ": the " + what + " is " + size + " bytes, more than the " + max
                + " this reader accepts");
    }
}
