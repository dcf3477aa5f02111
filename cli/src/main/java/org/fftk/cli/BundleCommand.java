package org.fftk.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.Deflater;
import org.fftk.edge.cli.BundleLoader;
import org.fftk.edge.cli.EdgeMain;
import org.fftk.edge.io.AtomicFiles;
import org.fftk.edge.onnx.OnnxFile;
import org.fftk.pruner.io.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk bundle}: one runnable jar holding the edge runtime and a model (docs/algorithms.md, "Model file"). */
@Command(name = "bundle", mixinStandardHelpOptions = true,
        description = {"Write one runnable jar holding the edge runtime (Java 11, no dependencies) and MODEL, so that",
                "'java -jar NAME.jar predict --images FILE' runs on a device with nothing else installed."})
final class BundleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path model;

    @Option(names = "--out", paramLabel = "NAME.jar", required = true, description = "where to write the jar")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OutputFiles.checkTarget(out, model);
        ModelFile src = ModelFile.read(model); // a valid fftk model, read once
        Path runtime = runtimeJar();
        // The runtime's classes, read before the target is opened (a damaged runtime jar leaves no file).
        Map<String, byte[]> classes = new HashMap<>();
        byte[] loader = null;
        String version;
        try (InputStream in = Files.newInputStream(runtime); JarInputStream rt = new JarInputStream(in)) {
            Manifest m = rt.getManifest();
            version = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
            JarEntry e;
            while ((e = rt.getNextJarEntry()) != null) {
                String name = e.getName();
                if (e.isDirectory() || !name.endsWith(".class") || name.endsWith("module-info.class")) {
                    continue; // folders, the Maven descriptor: the class loader needs neither
                }
                byte[] b = rt.readNBytes(1 << 24); // bounded: a class file is far smaller
                if (name.equals(LOADER)) {
                    loader = b;
                } else {
                    classes.put(name.substring(0, name.length() - 6).replace('/', '.'), b);
                }
            }
        }
        if (loader == null || classes.isEmpty()) {
            throw new IOException("the edge runtime jar " + runtime + " lacks its classes: rebuild it with 'mvn package'");
        }
        java.io.ByteArrayOutputStream blob = new java.io.ByteArrayOutputStream();
        BundleLoader.write(classes, version == null ? "" : version, blob);
        byte[] boot = loader;
        AtomicFiles.write(out, os -> {
            Manifest mf = new Manifest();
            mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, BundleLoader.class.getName());
            if (version != null) {
                mf.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
            }
            mf.getMainAttributes().putValue("Fftk-Model-Sha256", src.sha256());
            JarOutputStream jar = new JarOutputStream(os, mf); // finished, not closed: AtomicFiles closes the file
            jar.setLevel(Deflater.BEST_COMPRESSION);
            // The loader is an ordinary entry; every other class travels in one deflated stream, which
            // BundleLoader defines (classes deflated one entry each: 108 KB; as one stream: 78 KB).
            jar.putNextEntry(new JarEntry(LOADER));
            jar.write(boot);
            jar.closeEntry();
            stored(jar, BundleLoader.CLASSES, blob.toByteArray()); // already deflated
            jar.putNextEntry(new JarEntry(EdgeMain.BUNDLED_MODEL));
            jar.write(src.bytes());
            jar.closeEntry();
            jar.finish();
        });
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote %s (%,d bytes: edge runtime + %s, %,d bytes); run it with: java -jar %s predict --images FILE%n",
                out, Files.size(out), model.getFileName(), src.bytes().length, out);
        o.flush();
        return 0;
    }

    private static final String LOADER = BundleLoader.class.getName().replace('.', '/') + ".class";

    /** An entry written as is (STORED): {@code bytes} are compressed already. */
    private static void stored(JarOutputStream jar, String name, byte[] bytes) throws IOException {
        JarEntry e = new JarEntry(name);
        e.setMethod(JarEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        jar.putNextEntry(e);
        jar.write(bytes);
        jar.closeEntry();
    }

    /** The edge runtime's jar (or, when run from classes, its class folder zipped is not supported: a clear error). */
    static Path runtimeJar() throws IOException {
        try {
            Path p = Paths.get(EdgeMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(p)) {
                throw new IOException("the edge runtime is not in a jar here (" + p + "): build with 'mvn package' first");
            }
            if (OnnxFile.MAX_BYTES < Files.size(p)) {
                throw new IOException("unexpectedly large edge runtime jar " + p);
            }
            return p;
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the edge runtime jar: " + e.getMessage(), e);
        }
    }
}
