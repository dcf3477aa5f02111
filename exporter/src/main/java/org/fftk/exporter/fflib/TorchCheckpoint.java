package org.fftk.exporter.fflib;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.fftk.edge.io.InputFiles;

/**
 * A file written by {@code torch.save} (PyTorch ≥ 1.6): a zip whose one folder holds
 * {@code data.pkl} (the pickled object) and {@code data/<key>} (each storage's raw elements,
 * little-endian unless {@code byteorder} says otherwise). The pickle is read by
 * {@link RestrictedUnpickler}; tensors are read from their storages on request, as float32.
 */
final class TorchCheckpoint {
    /** Largest pickle read (FFLib's are a few KB; an optimizer's state adds little). */
    static final long MAX_PICKLE_BYTES = 64L << 20;
    /** Largest storage read (a 2000×2000 float32 matrix is 16 MB). */
    static final long MAX_STORAGE_BYTES = 1L << 30;

    private final Path file;
    private final Map<String, byte[]> storages = new HashMap<>();
    private final ByteOrder order;
    private final Object root;

    private TorchCheckpoint(Path file, Object root, ByteOrder order) {
        this.file = file;
        this.root = root;
        this.order = order;
    }

    /** Reads {@code file}; errors are one line naming the file. */
    static TorchCheckpoint read(Path file) throws IOException {
        InputFiles.requireRegular(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = null;
            Enumeration<? extends ZipEntry> en = zip.entries();
            int count = 0;
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (++count > 100_000) {
                    throw new IOException(file + ": implausibly many zip entries");
                }
                String n = e.getName();
                if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                    prefix = n.substring(0, n.length() - "data.pkl".length());
                }
            }
            if (prefix == null) {
                throw new IOException(file + ": not a PyTorch checkpoint (a zip with <name>/data.pkl, as torch.save writes)");
            }
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipEntry bo = zip.getEntry(prefix + "byteorder");
            if (bo != null) {
                String s = new String(bytes(zip, bo, 16, file), java.nio.charset.StandardCharsets.US_ASCII).trim();
                if (s.equals("big")) {
                    order = ByteOrder.BIG_ENDIAN;
                } else if (!s.equals("little")) {
                    throw new IOException(file + ": unknown byte order '" + s + "'");
                }
            }
            Object root;
            try {
                root = RestrictedUnpickler.read(bytes(zip, zip.getEntry(prefix + "data.pkl"), MAX_PICKLE_BYTES, file));
            } catch (IOException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            TorchCheckpoint c = new TorchCheckpoint(file, root, order);
            // the storages, read now (the file is closed afterwards), only those the pickle names
            for (RestrictedUnpickler.TensorRef t : tensors(root, new java.util.IdentityHashMap<>(), new java.util.ArrayList<>())) {
                String key = t.storage.key;
                if (!c.storages.containsKey(key)) {
                    ZipEntry e = zip.getEntry(prefix + "data/" + key);
                    if (e == null) {
                        throw new IOException(file + ": storage " + key + " is missing (truncated checkpoint?)");
                    }
                    c.storages.put(key, bytes(zip, e, MAX_STORAGE_BYTES, file));
                }
            }
            return c;
        } catch (ZipException e) {
            throw new IOException(file + ": not a readable PyTorch checkpoint (" + e.getMessage()
                    + "; a truncated or damaged zip, or a file written by torch.save before PyTorch 1.6)", e);
        }
    }

    /** The pickled object: maps, lists, strings, numbers, ClassDicts and tensors. */
    Object root() {
        return root;
    }

    Path file() {
        return file;
    }

    /** A tensor's elements as float32 in row-major order of its size (any strides), checked against its storage. */
    float[] floats(RestrictedUnpickler.TensorRef t) throws IOException {
        RestrictedUnpickler.StorageRef s = t.storage;
        int elem;
        switch (s.dtype) {
            case "float32":
                elem = 4;
                break;
            case "float64":
                elem = 8;
                break;
            default:
                throw new IOException(file + ": a weight tensor of type " + s.dtype + " (fftk imports float32 and float64)");
        }
        byte[] raw = storages.get(s.key);
        if (raw == null || raw.length != s.numel * elem) {
            throw new IOException(file + ": storage " + s.key + " holds " + (raw == null ? 0 : raw.length)
                    + " bytes, its header says " + s.numel + " elements of " + elem);
        }
        long n = 1;
        for (long d : t.size) {
            if (d < 0) {
                throw new IOException(file + ": a tensor with a negative dimension");
            }
            n *= d;
            if (n > s.numel) {
                break;
            }
        }
        if (t.size.length != t.stride.length || n > Integer.MAX_VALUE) {
            throw new IOException(file + ": a tensor whose size and stride disagree");
        }
        float[] out = new float[(int) n];
        ByteBuffer b = ByteBuffer.wrap(raw).order(order);
        long[] idx = new long[t.size.length];
        for (int k = 0; k < n; k++) {
            long at = t.offset;
            for (int d = 0; d < idx.length; d++) {
                at += idx[d] * t.stride[d];
            }
            if (at < 0 || at >= s.numel) {
                throw new IOException(file + ": a tensor reaches outside its storage");
            }
            out[k] = elem == 4 ? b.getFloat((int) at * 4) : (float) b.getDouble((int) at * 8);
            for (int d = idx.length - 1; d >= 0; d--) {
                if (++idx[d] < t.size[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }

    private static byte[] bytes(ZipFile zip, ZipEntry e, long max, Path file) throws IOException {
        long size = e.getSize();
        if (size > max) {
            throw new IOException(file + ": entry " + e.getName() + " is larger than " + max + " bytes");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(max, size < 0 ? max : size) + 1);
            if (b.length > max || (size >= 0 && b.length != size)) {
                throw new IOException(file + ": entry " + e.getName() + " is not the size its header says");
            }
            return b;
        }
    }

    /** Every tensor reachable from {@code o} (each object visited once). */
    private static java.util.List<RestrictedUnpickler.TensorRef> tensors(Object o, java.util.IdentityHashMap<Object, Boolean> seen,
            java.util.List<RestrictedUnpickler.TensorRef> out) {
        java.util.ArrayDeque<Object> todo = new java.util.ArrayDeque<>();
        todo.push(o);
        while (!todo.isEmpty()) {
            Object x = todo.pop();
            if (x == null || seen.put(x, Boolean.TRUE) != null) {
                continue;
            }
            if (x instanceof RestrictedUnpickler.TensorRef) {
                out.add((RestrictedUnpickler.TensorRef) x);
            } else if (x instanceof Map) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) x).entrySet()) {
                    if (e.getKey() != null) {
                        todo.push(e.getKey());
                    }
                    if (e.getValue() != null) {
                        todo.push(e.getValue());
                    }
                }
            } else if (x instanceof Iterable) {
                for (Object v : (Iterable<?>) x) {
                    if (v != null) {
                        todo.push(v);
                    }
                }
            } else if (x instanceof Object[]) {
                for (Object v : (Object[]) x) {
                    if (v != null) {
                        todo.push(v);
                    }
                }
            }
        }
        return out;
    }
}
