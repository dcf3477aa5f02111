package org.fftk.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search order and checksum handling of {@link DatasetLocator}, on temp dirs with no network:
 * CIFAR-10 (no published checksums) for the search order, MNIST with fake content (which must be
 * rejected) and a fake download source for the checksum path. The real MNIST files are used
 * when available to show that genuine files verify.
 */
class DatasetLocatorTest {
    @TempDir
    Path tmp;

    private static void cifar(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : KnownDataset.CIFAR10.files()) {
            Files.write(dir.resolve(f), new byte[] {1, 2, 3});
        }
    }

    private DatasetLocator.Builder base(Path explicit, Path env) {
        Map<KnownDataset, List<Path>> sys = Collections.singletonMap(KnownDataset.CIFAR10,
                Collections.singletonList(tmp.resolve("system")));
        return DatasetLocator.builder().explicitDir(explicit).envDir(env).cacheRoot(tmp.resolve("cache"))
                .systemDirs(sys).sources(Collections.<DatasetLocator.Source>emptyList());
    }

    @Test
    void searchOrderIsExplicitThenEnvThenCacheThenSystem() throws IOException {
        Path explicit = tmp.resolve("explicit");
        Path env = tmp.resolve("env");
        cifar(tmp.resolve("system"));
        assertEquals("system", base(explicit, env).build().find(KnownDataset.CIFAR10).source());
        cifar(tmp.resolve("cache").resolve("cifar10"));
        assertEquals("cache", base(explicit, env).build().find(KnownDataset.CIFAR10).source());
        cifar(env.resolve("cifar10")); // FFTK_DATA as a root with dataset folders
        LocatedDataset e = base(explicit, env).build().find(KnownDataset.CIFAR10);
        assertEquals("FFTK_DATA", e.source());
        assertEquals(env.resolve("cifar10"), e.dir());
        cifar(explicit); // explicit dir holding the files directly
        LocatedDataset x = base(explicit, env).build().find(KnownDataset.CIFAR10);
        assertEquals("explicit", x.source());
        assertEquals(explicit.resolve("test_batch.bin"), x.file("test_batch.bin"));
        assertFalse(x.verified(), "CIFAR-10 has no published checksums");
    }

    @Test
    void listSaysWhatIsWhere() throws IOException {
        Path env = tmp.resolve("env");
        cifar(env.resolve("cifar10"));
        fakeMnist(env.resolve("mnist"));
        List<DatasetLocator.Candidate> all = base(null, env).build().list();
        DatasetLocator.Candidate m = all.stream().filter(c -> c.dataset == KnownDataset.MNIST && c.origin.equals("FFTK_DATA"))
                .findFirst().get();
        assertEquals(4, m.corrupt.size());
        assertTrue(m.toString().contains("CORRUPT"), m.toString());
        DatasetLocator.Candidate c = all.stream().filter(x -> x.dataset == KnownDataset.CIFAR10 && x.origin.equals("FFTK_DATA"))
                .findFirst().get();
        assertTrue(c.complete);
        assertTrue(c.toString().contains("not verifiable"), c.toString());
        DatasetLocator.Candidate f = all.stream().filter(x -> x.dataset == KnownDataset.FASHION_MNIST && x.origin.equals("cache"))
                .findFirst().get();
        assertTrue(f.toString().endsWith("absent"), f.toString());
    }

    @Test
    void incompleteLocationIsSkipped() throws IOException {
        Path env = tmp.resolve("env");
        cifar(env);
        Files.delete(env.resolve("data_batch_3.bin"));
        cifar(tmp.resolve("cache").resolve("cifar10"));
        assertEquals("cache", base(null, env).build().find(KnownDataset.CIFAR10).source());
    }

    @Test
    void nothingAnywhereGivesOneLineMessageSayingWhereToPutTheFiles() {
        DatasetUnavailableException ex = assertThrows(DatasetUnavailableException.class,
                () -> base(null, null).build().locate(KnownDataset.MNIST));
        assertFalse(ex.getMessage().contains("\n"));
        assertTrue(ex.getMessage().contains("train-images-idx3-ubyte"), ex.getMessage());
        assertTrue(ex.getMessage().contains(tmp.resolve("cache").resolve("mnist").toString()), ex.getMessage());
    }

    private static void fakeMnist(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : KnownDataset.MNIST.files()) {
            try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(dir.resolve(f + ".gz")))) {
                os.write(("not " + f).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void explicitDirWithWrongChecksumIsAnError() throws IOException {
        Path explicit = tmp.resolve("explicit");
        fakeMnist(explicit);
        DatasetUnavailableException ex = assertThrows(DatasetUnavailableException.class,
                () -> base(explicit, null).build().find(KnownDataset.MNIST));
        assertTrue(ex.getMessage().contains("SHA-256"), ex.getMessage());
    }

    @Test
    void envDirWithWrongChecksumIsSkippedAndCorruptCacheFilesAreDeleted() throws IOException {
        Path env = tmp.resolve("env");
        fakeMnist(env.resolve("mnist"));
        Path cache = tmp.resolve("cache").resolve("mnist");
        fakeMnist(cache);
        assertNull(base(null, env).build().find(KnownDataset.MNIST));
        assertTrue(Files.exists(env.resolve("mnist").resolve("train-images-idx3-ubyte.gz")), "user files are left alone");
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(0, s.count(), "corrupt cache files are removed");
        }
    }

    /** A source that writes given bytes as each requested file. */
    private static final class FakeSource implements DatasetLocator.Source {
        final byte[] content;
        final List<String> calls = new ArrayList<>();

        FakeSource(byte[] content) {
            this.content = content;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public boolean supports(KnownDataset d) {
            return true;
        }

        @Override
        public void fetch(KnownDataset d, List<String> files, Path dir) throws IOException {
            calls.addAll(files);
            for (String f : files) {
                Files.write(dir.resolve(f), content);
            }
        }
    }

    @Test
    void downloadFailingTheChecksumLeavesNothingInTheCache() throws IOException {
        FakeSource bad = new FakeSource("corrupt".getBytes(StandardCharsets.UTF_8));
        DatasetLocator loc = base(null, null).sources(Collections.<DatasetLocator.Source>singletonList(bad)).build();
        DatasetUnavailableException ex = assertThrows(DatasetUnavailableException.class, () -> loc.locate(KnownDataset.MNIST));
        assertTrue(ex.getMessage().contains("failed the SHA-256 check"), ex.getMessage());
        assertEquals(KnownDataset.MNIST.files(), bad.calls);
        try (Stream<Path> s = Files.list(tmp.resolve("cache").resolve("mnist"))) {
            assertEquals(0, s.count(), "no partial or corrupt file, no temp dir left");
        }
    }

    @Test
    void sha256IsOfTheDecompressedContent() throws Exception {
        Path raw = tmp.resolve("a");
        Files.write(raw, "hello".getBytes(StandardCharsets.UTF_8));
        Path gz = tmp.resolve("a.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(gz))) {
            os.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder want = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest("hello".getBytes(StandardCharsets.UTF_8))) {
            want.append(String.format("%02x", b & 0xff));
        }
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", want.toString());
        assertEquals(want.toString(), DatasetLocator.sha256(raw));
        assertEquals(want.toString(), DatasetLocator.sha256(gz));
    }

    /** The real files (when present) verify, and a download source copying them fills the cache. */
    @Test
    void realMnistVerifiesAndCanBeDownloadedIntoTheCache() throws IOException {
        Path real = realMnist();
        org.junit.jupiter.api.Assumptions.assumeTrue(real != null, "real MNIST not found ($FFTK_DATA or ../shared/datasets): skipped");
        LocatedDataset found = base(real, null).build().find(KnownDataset.MNIST);
        assertTrue(found.verified());
        DatasetLocator.Source copy = new DatasetLocator.Source() {
            @Override
            public String name() {
                return "copy";
            }

            @Override
            public boolean supports(KnownDataset d) {
                return true;
            }

            @Override
            public void fetch(KnownDataset d, List<String> files, Path dir) throws IOException {
                for (String f : files) {
                    Files.copy(found.file(f), dir.resolve(found.file(f).getFileName()));
                }
            }
        };
        LocatedDataset dl = base(null, null).sources(Arrays.asList(copy)).build().locate(KnownDataset.MNIST);
        assertEquals("download", dl.source());
        assertTrue(dl.verified());
        assertEquals(tmp.resolve("cache").resolve("mnist"), dl.dir());
        // second time it is found in the cache, verified through the memo
        LocatedDataset again = base(null, null).build().find(KnownDataset.MNIST);
        assertEquals("cache", again.source());
        assertTrue(again.verified());
        assertTrue(Files.exists(tmp.resolve("cache").resolve("verified.properties")));
    }

    /** $FFTK_DATA/mnist, else shared/datasets/mnist in the working directory or one of its parents. */
    static Path realMnist() {
        String env = System.getenv("FFTK_DATA");
        if (env != null && !env.isEmpty() && Files.isDirectory(Path.of(env, "mnist"))) {
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
}
