package org.fftk.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.Deflater;
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
        AtomicFiles.write(out, os -> {
            Manifest mf = new Manifest();
            mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, EdgeMain.class.getName());
            mf.getMainAttributes().putValue("Fftk-Model-Sha256", src.sha256());
            JarOutputStream jar = new JarOutputStream(os, mf); // finished, not closed: AtomicFiles closes the file
            jar.setLevel(Deflater.BEST_COMPRESSION);
            try (InputStream in = Files.newInputStream(runtime); JarInputStream rt = new JarInputStream(in)) {
                JarEntry e;
                byte[] buf = new byte[1 << 16];
                while ((e = rt.getNextJarEntry()) != null) {
                    // Only the classes travel: no folder entries, no Maven descriptor (the class loader
                    // needs neither); with the best compression the bundle of the quickstart model is
                    // the model file + 64 KB (the float weights deflate by 6%), runtime classes 108 KB.
                    if (e.isDirectory() || e.getName().toUpperCase(java.util.Locale.ROOT).startsWith("META-INF/")) {
                        continue;
                    }
                    jar.putNextEntry(new JarEntry(e.getName()));
                    int n;
                    while ((n = rt.read(buf)) > 0) {
                        jar.write(buf, 0, n);
                    }
                    jar.closeEntry();
                }
                jar.putNextEntry(new JarEntry(EdgeMain.BUNDLED_MODEL));
                jar.write(src.bytes());
                jar.closeEntry();
            }
            jar.finish();
        });
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote %s (%,d bytes: edge runtime + %s, %,d bytes); run it with: java -jar %s predict --images FILE%n",
                out, Files.size(out), model.getFileName(), src.bytes().length, out);
        o.flush();
        return 0;
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
