package org.fftk.pruner.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.io.Sha256;

/**
 * Size measures of one model: parameters (and how many are non-zero), MACs per prediction ({@link Macs}), the size of its model
 * file as the serializer writes it (the ONNX exporter), that file gzip-compressed (java.util.zip,
 * default level) and xz-compressed (LZMA2, org.tukaani:xz, preset 6, what {@code xz} does by
 * default; null where not measured: sweeps skip it, as xz takes seconds on a paper-scale file), and
 * the file's SHA-256.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record ModelMeasures(String architecture, int[] widths, long parameters, long nonzeroParameters, long macs,
                            long fileBytes, long gzipBytes, Long xzBytes, String sha256) {

    public static ModelMeasures of(Model m, Function<Model, byte[]> serializer) {
        return of(m, serializer.apply(m));
    }

    /** Measures of a model whose file holds exactly {@code file}, xz size included. */
    public static ModelMeasures of(Model m, byte[] file) {
        return new ModelMeasures(m.architecture().id(), m.widths(), m.parameterCount(), nonzero(m),
                Macs.perPrediction(m), file.length, gzipSize(file), xzSize(file), Sha256.hex(file));
    }

    /** As {@link #of(Model, byte[])} without the (slow) xz size. */
    public static ModelMeasures withoutXz(Model m, Function<Model, byte[]> serializer) {
        byte[] file = serializer.apply(m);
        return new ModelMeasures(m.architecture().id(), m.widths(), m.parameterCount(), nonzero(m),
                Macs.perPrediction(m), file.length, gzipSize(file), null, Sha256.hex(file));
    }

    /** Parameters (weights and biases of every layer, classifier included) that are not zero. */
    public static long nonzero(Model m) {
        long n = 0;
        for (DenseLayer l : m.layers()) {
            n += nonzero(l);
        }
        return m.classifier() == null ? n : n + nonzero(m.classifier());
    }

    private static long nonzero(DenseLayer l) {
        long n = count(l.weights()) + count(l.biases());
        return l.hasBackward() ? n + count(l.backWeights()) : n;
    }

    private static long count(float[] v) {
        long n = 0;
        for (float x : v) {
            if (x != 0) {
                n++;
            }
        }
        return n;
    }

    /** Bytes of {@code data} compressed with xz (LZMA2, preset 6). */
    public static long xzSize(byte[] data) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(data.length / 2 + 64);
            try (org.tukaani.xz.XZOutputStream xz = new org.tukaani.xz.XZOutputStream(bos, new org.tukaani.xz.LZMA2Options())) {
                xz.write(data);
            }
            return bos.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long gzipSize(byte[] data) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(data.length / 2 + 64);
            try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
                gz.write(data);
            }
            return bos.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
