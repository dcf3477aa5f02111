package org.fftk.edge.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bounded single reads of regular files only, atomic writes, stale temp-file clean-up, SHA-256. */
class FilesTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void devicesAndDirectoriesAreRefusedWithThePath() throws Exception {
        Path zero = Paths.get("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero on this system");
        IOException e = assertThrows(IOException.class, () -> InputFiles.readAll(zero, 1 << 20, "model file"));
        assertTrue(e.getMessage().contains("/dev/zero") && e.getMessage().contains("not a regular file"), e.getMessage());
        IOException d = assertThrows(IOException.class, () -> InputFiles.readAll(dir, 1 << 20, "model file"));
        assertEquals(dir + " is a directory, not a file", d.getMessage());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aNamedPipeIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = org.fftk.edge.testutil.Fifo.create(dir.resolve("pipe.onnx"));
        // opening a FIFO without a writer blocks forever: the timeout above fails the test if it is opened
        IOException e = assertThrows(IOException.class, () -> InputFiles.readAll(fifo, 1 << 20, "model file"));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertThrows(IOException.class, () -> InputFiles.open(fifo));
    }

    @Test
    void readsAWholeFileOnceAndRefusesOneOverTheBound() throws Exception {
        Path f = dir.resolve("m.bin");
        byte[] data = new byte[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Files.write(f, data);
        assertArrayEquals(data, InputFiles.readAll(f, 5000, "model file"));
        IOException e = assertThrows(IOException.class, () -> InputFiles.readAll(f, 4999, "model file"));
        assertTrue(e.getMessage().startsWith(f + ": the model file is 5000 bytes"), e.getMessage());
    }

    @Test
    void staleTempFilesOfDeadWritersAreDeletedOnTheNextWrite() throws Exception {
        Path target = dir.resolve("history.json");
        // a writer killed with -9: pid 2^22 + 12345 is above Linux's pid_max default, so no such process
        Path dead = Files.write(dir.resolve(".history.json.4206649.123456.tmp"), new byte[] {1});
        // an older fftk's name: .NAME.RANDOM.tmp
        Path old = Files.write(dir.resolve(".history.json.8812734987.tmp"), new byte[] {2});
        // a live writer (this process) must be left alone, and so must other files
        Path live = Files.write(dir.resolve(".history.json." + ProcessHandle.current().pid() + ".77.tmp"), new byte[] {3});
        Path other = Files.write(dir.resolve(".sweep.json.4206649.1.tmp"), new byte[] {4});
        AtomicFiles.write(target, "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{}", Files.readString(target));
        assertTrue(Files.notExists(dead) && Files.notExists(old), "stale temp files must be deleted");
        assertTrue(Files.exists(live) && Files.exists(other), "a live writer's and other targets' files stay");
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTempFile() throws Exception {
        Path f = dir.resolve("m.onnx");
        Files.write(f, new byte[] {9, 9});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertArrayEquals(new byte[] {9, 9}, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.collect(Collectors.toList()));
        }
    }

    @Test
    void sha256MatchesTheStandardTestVector() throws Exception {
        // FIPS 180-2 example: SHA-256("abc")
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertEquals(abc, Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(abc, Sha256.hex(new java.io.ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII))));
    }

    /** Writing "to" a device or a pipe must never replace it (a rename would, as root even /dev/null). */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aDeviceOrPipeIsNeverReplaced() throws Exception {
        Path fifo = org.fftk.edge.testutil.Fifo.create(dir.resolve("out.onnx"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(fifo, new byte[] {1, 2}));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the pipe is still a pipe");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(fifo), s.collect(Collectors.toList()), "no temp file left");
        }
    }
}
