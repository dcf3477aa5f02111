package org.fftk.edge.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads the datasets of docs/algorithms.md "Data" from a folder holding their standard files (plain or gzipped). */
public final class Datasets {
    private static final float[] SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            SCALE[i] = i / 255f;
        }
    }

    private Datasets() {
    }

    /**
     * Loads a split of a dataset from {@code dir}, or from {@code dir/<name>} (and
     * {@code dir/cifar-10-batches-bin} for CIFAR-10). Each file may be stored as its standard name
     * or with ".gz" appended.
     *
     * @throws NoSuchFileException naming what was looked for where, when a file is missing
     * @throws DataFormatException (one line, naming the file) when a file is corrupt or truncated
     */
    public static Dataset load(DatasetName name, Path dir, Split split) throws IOException {
        List<String> names = name.files(split);
        Path[] files = new Path[names.size()];
        for (int i = 0; i < files.length; i++) {
            files[i] = locate(name, dir, names.get(i));
        }
        String label = name.id() + " " + split.id();
        if (!name.isIdx()) {
            return CifarFiles.read(label, files);
        }
        Dataset d = loadIdx(label, files[0], files[1]);
        if (d.inputSize() != name.inputSize()) {
            throw new DataFormatException(files[0] + ": images have " + d.inputSize() + " pixels, " + name.id()
                    + " images have " + name.inputSize());
        }
        return d;
    }

    /** True when every file of the split is present in one of the places {@link #load} looks. */
    public static boolean isPresent(DatasetName name, Path dir, Split split) {
        for (String f : name.files(split)) {
            if (find(name, dir, f) == null) {
                return false;
            }
        }
        return true;
    }

    /** Loads an IDX image file and its IDX label file, checking that their counts match and labels are 0..9. */
    public static Dataset loadIdx(String name, Path images, Path labels) throws IOException {
        return loadIdx(name, images, labels, Integer.MAX_VALUE);
    }

    /** As {@link #loadIdx(String, Path, Path)}, only the first {@code limit} images (and labels). */
    static Dataset loadIdx(String name, Path images, Path labels, int limit) throws IOException {
        IdxFiles.Images im = IdxFiles.readImages(images, limit);
        int[] lb = IdxFiles.readLabels(labels);
        if (limit < Integer.MAX_VALUE ? lb.length < im.count() : lb.length != im.count()) {
            throw new DataFormatException(images + " holds " + im.count() + " images but " + labels + " holds "
                    + lb.length + " labels");
        }
        if (lb.length > im.count()) {
            lb = java.util.Arrays.copyOf(lb, im.count());
        }
        for (int i = 0; i < lb.length; i++) {
            if (lb[i] > 9) {
                throw new DataFormatException(labels + ": label " + lb[i] + " of image " + i + " is outside 0..9");
            }
        }
        return new Dataset(name, im.rows() * im.cols(), 10, im.toFloats(), lb);
    }

    /**
     * Loads images and labels given as files: a CIFAR-10 batch ({@code labels} null: the labels are
     * in the batch) or an IDX image file plus an IDX label file. A file is taken as a CIFAR-10 batch
     * when its name ends in ".bin" or ".bin.gz".
     */
    public static Dataset loadFiles(Path images, Path labels) throws IOException {
        return loadFiles(images, labels, Integer.MAX_VALUE);
    }

    /** As {@link #loadFiles(Path, Path)}, only the first {@code limit} images of an IDX file. */
    public static Dataset loadFiles(Path images, Path labels, int limit) throws IOException {
        if (isCifarName(images)) {
            if (labels != null) {
                throw new IllegalArgumentException(images + " is a CIFAR-10 batch, which holds its own labels: give no label file");
            }
            return CifarFiles.read(images.getFileName().toString(), images);
        }
        if (labels == null) {
            throw new IllegalArgumentException("IDX images " + images + " need a label file");
        }
        return loadIdx(images.getFileName().toString(), images, labels, limit).head(limit);
    }

    /**
     * Only the images of a file (IDX images or CIFAR-10 batch), scaled to [0,1]; {@code shape[0]}
     * receives the count and {@code shape[1]} the pixels per image.
     */
    public static float[] loadImages(Path images, int[] shape) throws IOException {
        return loadImages(images, shape, Integer.MAX_VALUE);
    }

    /** As {@link #loadImages(Path, int[])}, reading only the first {@code limit} images of an IDX file. */
    public static float[] loadImages(Path images, int[] shape, int limit) throws IOException {
        if (isCifarName(images)) {
            Dataset d = CifarFiles.read(images.getFileName().toString(), images);
            shape[0] = d.size();
            shape[1] = d.inputSize();
            return d.images();
        }
        IdxFiles.Images im = IdxFiles.readImages(images, limit);
        shape[0] = im.count();
        shape[1] = im.rows() * im.cols();
        return im.toFloats();
    }

    /** Whether a file is taken as a CIFAR-10 batch: its name ends in ".bin" or ".bin.gz". */
    public static boolean isCifarName(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".bin") || n.endsWith(".bin.gz");
    }

    /** Bytes as pixels in [0,1]: (b[off + i] &amp; 0xff) / 255 for i &lt; len. */
    public static float[] scale(byte[] b, int off, int len) {
        float[] f = new float[len];
        scaleInto(b, off, f, 0, len);
        return f;
    }

    /** dst[dstOff + i] = (b[off + i] &amp; 0xff) / 255 for i &lt; len. */
    static void scaleInto(byte[] b, int off, float[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = SCALE[b[off + i] & 0xff];
        }
    }

    private static Path locate(DatasetName name, Path dir, String file) throws NoSuchFileException {
        Path p = find(name, dir, file);
        if (p == null) {
            List<String> where = new ArrayList<>();
            where.add(dir.toString());
            for (String s : name.subfolders()) {
                where.add(dir.resolve(s).toString());
            }
            throw new NoSuchFileException("no " + file + "[.gz] for " + name.id() + " in " + String.join(" or ", where));
        }
        return p;
    }

    private static Path find(DatasetName name, Path dir, String file) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(dir);
        for (String s : name.subfolders()) {
            dirs.add(dir.resolve(s));
        }
        for (Path d : dirs) {
            for (String f : new String[] {file, file + ".gz"}) {
                Path p = d.resolve(f);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
