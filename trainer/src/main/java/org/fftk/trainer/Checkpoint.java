package org.fftk.trainer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fftk.edge.io.AtomicFiles;
import org.fftk.edge.io.InputFiles;

/**
 * Everything a run needs to continue exactly where it stopped (docs/algorithms.md "Checkpoints"),
 * written atomically after every epoch: the run's configuration (a resumed run must match it), the
 * phase and the last finished epoch, the parameters and Adam's m and v, Adam's step count, the
 * state of both random generators, the current shuffle order, and the history so far.
 */
final class Checkpoint {
    private static final int MAGIC = 0x46464b43; // "FFKC"
    private static final int VERSION = 1;
    private static final int MAX_ARRAYS = 4096;
    private static final int MAX_STRING = 64 << 20;

    final String config;
    final String phase;
    final int epoch;
    final long adamStep;
    final byte[] batchRng;
    final byte[] initRng;
    final int[] perm;
    final List<float[]> params;
    final List<float[]> optimizer;
    final String epochsJson;

    Checkpoint(String config, String phase, int epoch, long adamStep, byte[] batchRng, byte[] initRng, int[] perm,
               List<float[]> params, List<float[]> optimizer, String epochsJson) {
        this.config = config;
        this.phase = phase;
        this.epoch = epoch;
        this.adamStep = adamStep;
        this.batchRng = batchRng;
        this.initRng = initRng;
        this.perm = perm;
        this.params = params;
        this.optimizer = optimizer;
        this.epochsJson = epochsJson;
    }

    void write(Path file) throws IOException {
        AtomicFiles.write(file, os -> {
            DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(os, 1 << 16));
            o.writeInt(MAGIC);
            o.writeInt(VERSION);
            string(o, config);
            string(o, phase == null ? "" : phase);
            o.writeInt(epoch);
            o.writeLong(adamStep);
            bytes(o, batchRng);
            bytes(o, initRng);
            o.writeInt(perm.length);
            for (int v : perm) {
                o.writeInt(v);
            }
            arrays(o, params);
            arrays(o, optimizer);
            string(o, epochsJson);
            o.flush();
        });
    }

    /** Reads a checkpoint; every count is checked against the file's size before anything is allocated. */
    static Checkpoint read(Path file) throws IOException {
        long size = InputFiles.requireRegular(file);
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            Bounded b = new Bounded(in, size, file);
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not an fftk training checkpoint");
            }
            int v = in.readInt();
            if (v != VERSION) {
                throw new IOException(file + ": checkpoint version " + v + " (this fftk reads " + VERSION + ")");
            }
            b.used(8);
            String config = b.string();
            String phase = b.string();
            int epoch = in.readInt();
            long step = in.readLong();
            b.used(12);
            byte[] batch = b.bytes();
            byte[] init = b.bytes();
            int[] perm = new int[b.count(4)];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = in.readInt();
            }
            List<float[]> params = b.arrays();
            List<float[]> opt = b.arrays();
            String epochs = b.string();
            if (epoch < 0 || step < 0) {
                throw new IOException(file + ": damaged checkpoint (negative epoch or step)");
            }
            return new Checkpoint(config, phase.isEmpty() ? null : phase, epoch, step, batch, init, perm, params, opt, epochs);
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": truncated checkpoint", e);
        }
    }

    /** The state of {@code r} (java.util.Random is Serializable: its 48-bit seed and Gaussian cache). */
    static byte[] save(Random r) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(b)) {
                o.writeObject(r);
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A generator in the state {@link #save} recorded; only a java.util.Random is accepted from the bytes. */
    static Random restore(byte[] state, Path file) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(state))) {
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("maxbytes=4096;maxdepth=2;java.util.Random;!*"));
            Object o = in.readObject();
            if (o.getClass() != Random.class) {
                throw new IOException(file + ": damaged checkpoint (random generator state)");
            }
            return (Random) o;
        } catch (ClassNotFoundException | java.io.InvalidClassException | ClassCastException e) {
            throw new IOException(file + ": damaged checkpoint (random generator state)", e);
        }
    }

    private static void string(DataOutputStream o, String s) throws IOException {
        bytes(o, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(DataOutputStream o, byte[] b) throws IOException {
        o.writeInt(b.length);
        o.write(b);
    }

    private static void arrays(DataOutputStream o, List<float[]> a) throws IOException {
        o.writeInt(a.size());
        for (float[] x : a) {
            o.writeInt(x.length);
            for (float v : x) {
                o.writeFloat(v);
            }
        }
    }

    /** Reads with every length checked against what is left of the file. */
    private static final class Bounded {
        private final DataInputStream in;
        private final Path file;
        private long left;

        Bounded(DataInputStream in, long size, Path file) {
            this.in = in;
            this.left = size;
            this.file = file;
        }

        void used(long n) {
            left -= n;
        }

        int count(int elementBytes) throws IOException {
            int n = in.readInt();
            left -= 4;
            if (n < 0 || (long) n * elementBytes > left) {
                throw new IOException(file + ": damaged checkpoint (a length of " + n + " with " + left + " bytes left)");
            }
            left -= (long) n * elementBytes;
            return n;
        }

        byte[] bytes() throws IOException {
            byte[] b = new byte[count(1)];
            in.readFully(b);
            return b;
        }

        String string() throws IOException {
            int n = in.readInt();
            left -= 4;
            if (n < 0 || n > MAX_STRING || n > left) {
                throw new IOException(file + ": damaged checkpoint (a string of " + n + " bytes)");
            }
            left -= n;
            byte[] b = new byte[n];
            in.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        List<float[]> arrays() throws IOException {
            int n = in.readInt();
            left -= 4;
            if (n < 0 || n > MAX_ARRAYS) {
                throw new IOException(file + ": damaged checkpoint (" + n + " arrays)");
            }
            List<float[]> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] a = new float[count(4)];
                for (int j = 0; j < a.length; j++) {
                    a[j] = in.readFloat();
                }
                out.add(a);
            }
            return out;
        }
    }
}
