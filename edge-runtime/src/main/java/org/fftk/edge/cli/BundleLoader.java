package org.fftk.edge.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The main class of a jar made by {@code fftk bundle}: the edge runtime's classes travel as one
 * deflated stream ({@link #CLASSES}) instead of one jar entry each, and this class defines them and
 * runs {@link EdgeMain}. A jar compresses each entry on its own, so the runtime's classes took 108 KB
 * as entries and take 78 KB as one stream (the classes share most of their constant-pool strings),
 * which keeps a bundle under 100 KB plus its model with line numbers still in stack traces
 * (docs/algorithms.md "Model file"). Java 11, no dependencies, like the rest of the runtime.
 */
public final class BundleLoader extends ClassLoader {
    /** The jar entry holding the classes: deflated, "FFTKCLS1", version, count, then (name, length, bytes). */
    public static final String CLASSES = "fftk/classes.bin";

    private static final String MAGIC = "FFTKCLS1";
    private static final int MAX_CLASSES = 4096;
    private static final int MAX_CLASS_BYTES = 1 << 20;

    private final Map<String, byte[]> classes;
    private final String version;

    private BundleLoader(ClassLoader parent, Map<String, byte[]> classes, String version) {
        super(parent);
        this.classes = classes;
        this.version = version;
    }

    public static void main(String[] args) throws Throwable {
        ClassLoader parent = BundleLoader.class.getClassLoader();
        BundleLoader loader;
        try (InputStream in = parent.getResourceAsStream(CLASSES)) {
            if (in == null) {
                System.err.println("error: this jar holds no " + CLASSES + " (not a jar made by 'fftk bundle')");
                System.exit(2);
                return;
            }
            loader = read(parent, in);
        } catch (IOException e) {
            System.err.println("error: this jar's " + CLASSES + " is damaged: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            // by name: a class literal would make the jar's own class loader look for EdgeMain.class
            loader.loadClass("org.fftk.edge.cli.EdgeMain").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static BundleLoader read(ClassLoader parent, InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new InflaterInputStream(raw));
        if (!MAGIC.equals(in.readUTF())) {
            throw new IOException("unknown format");
        }
        String version = in.readUTF();
        int n = in.readInt();
        if (n < 1 || n > MAX_CLASSES) {
            throw new IOException("implausible class count " + n);
        }
        Map<String, byte[]> classes = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            int len = in.readInt();
            if (len < 1 || len > MAX_CLASS_BYTES) {
                throw new IOException("implausible class size " + len + " for " + name);
            }
            byte[] b = new byte[len];
            in.readFully(b);
            classes.put(name, b);
        }
        return new BundleLoader(parent, classes, version.isEmpty() ? null : version);
    }

    /**
     * Writes {@code classes} (binary name → class file) in the format {@link #main} reads, deflated
     * at the best compression; {@code version} ("" for none) becomes the packages' implementation version.
     */
    public static void write(Map<String, byte[]> classes, String version, OutputStream out) throws IOException {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            DeflaterOutputStream z = new DeflaterOutputStream(out, d, 1 << 16);
            DataOutputStream o = new DataOutputStream(z);
            o.writeUTF(MAGIC);
            o.writeUTF(version);
            o.writeInt(classes.size());
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(classes).entrySet()) {
                o.writeUTF(e.getKey());
                o.writeInt(e.getValue().length);
                o.write(e.getValue());
            }
            o.flush();
            z.finish();
        } finally {
            d.end();
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = classes.remove(name); // defined once; the bytes are not needed afterwards
        if (b == null) {
            throw new ClassNotFoundException(name);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                definePackage(pkg, null, null, null, "fftk-edge", version, null, null);
            }
        }
        return defineClass(name, b, 0, b.length);
    }
}
