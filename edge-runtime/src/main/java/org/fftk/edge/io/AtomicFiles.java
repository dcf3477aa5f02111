package org.fftk.edge.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that a reader sees the old content or the whole new content, never a part: the
 * content goes to a temp file beside the target, is flushed to disk, and is moved over the target
 * in one atomic rename. Every fftk output (models, histories, sweeps, CSVs, plots) is written here.
 *
 * <p>Temp files are named {@code .NAME.PID.RANDOM.tmp}, PID being the writing process. A process
 * killed mid-write (kill -9, power loss) cannot delete its temp file; the next write of the same
 * target deletes every such file whose process is no longer running (also older fftk's
 * {@code .NAME.RANDOM.tmp} files, whose random part names no running process).
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Something that writes a file's content to a stream (the stream is closed by the caller). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, byte[] data) throws IOException {
        write(target, out -> out.write(data));
    }

    /**
     * Writes {@code content} to {@code target} atomically, keeping an existing target's permissions
     * (else rw-r--r--).
     *
     * @throws IOException naming the file when its folder is missing, it is a directory, or the file
     *                     system cannot rename atomically
     */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + target + ": folder " + dir + " does not exist");
        }
        requireReplaceable(target);
        deleteStale(abs);
        Path tmp = Files.createTempFile(dir, prefix(abs) + ProcessHandle.current().pid() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(ch);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            copyPermissions(abs, tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot write " + target + ": the file system cannot replace files atomically", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Refuses a target that exists but is not a regular file: a directory, or a device, named pipe
     * or socket, which a rename would replace (as root even {@code /dev/null}).
     *
     * @throws IOException naming the file
     */
    public static void requireReplaceable(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new IOException("cannot write " + target + ": it is a directory");
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            throw new IOException("cannot write " + target + ": it is not a regular file (a device, pipe or socket "
                    + "is never replaced)");
        }
    }

    /**
     * Deletes the temp files that crashed writers of {@code target} left beside it (see the class
     * comment); returns how many. Files of running processes are kept.
     */
    public static int deleteStale(Path target) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        String prefix = prefix(abs);
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob(prefix) + "*.tmp")) {
            for (Path p : ds) {
                String mid = p.getFileName().toString();
                mid = mid.substring(prefix.length(), mid.length() - ".tmp".length());
                int dot = mid.indexOf('.');
                String pid = dot < 0 ? mid : mid.substring(0, dot);
                if (!pid.isEmpty() && pid.chars().allMatch(Character::isDigit) && !running(pid)
                        && Files.isRegularFile(p) && Files.deleteIfExists(p)) {
                    n++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // cleaning up is best effort: a folder we cannot list is reported by the write itself
        }
        return n;
    }

    private static boolean running(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String prefix(Path abs) {
        return "." + abs.getFileName() + ".";
    }

    /** {@code s} with the glob's special characters escaped. */
    private static String glob(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static void copyPermissions(Path target, Path tmp) {
        try {
            Set<PosixFilePermission> perms = Files.exists(target) ? Files.getPosixFilePermissions(target)
                    : PosixFilePermissions.fromString("rw-r--r--");
            Files.setPosixFilePermissions(tmp, perms);
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep the default permissions
        }
    }
}
