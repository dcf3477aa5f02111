package org.fftk.edge.model;

import java.util.Arrays;

/**
 * The geometry of a convolutional fftk network (ffcnn, docs/algorithms.md "FF-CNN"): the image as
 * C planes of H × W (the flattened input is C·H·W values, plane after plane, row-major) and per conv
 * layer its square kernel k, stride s and zero padding p on every side. Layer l's filter count is
 * the model's width w_l; its output planes are
 * H_l = ⌊(H_{l−1} + 2p − k) / s⌋ + 1 (and likewise W_l), ONNX Conv's rule.
 *
 * <p>A conv layer is stored as a {@link DenseLayer} with out = w_l and in = C_{l−1}·k·k: PyTorch's
 * and ONNX's weight [out, in_channels, k, k] flattened row-major is exactly that matrix, so int8
 * quantisation (one scale per filter) and the parameter order carry over unchanged. Immutable.
 */
public final class ConvShape {
    /** Largest kernel, stride, padding and plane side a file may ask for (bounds every loop and allocation). */
    public static final int MAX_SIDE = 4096;
    public static final int MAX_KERNEL = 64;

    private final int channels;
    private final int height;
    private final int width;
    private final int[] kernels;
    private final int[] strides;
    private final int[] pads;

    public ConvShape(int channels, int height, int width, int[] kernels, int[] strides, int[] pads) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.kernels = kernels.clone();
        this.strides = strides.clone();
        this.pads = pads.clone();
        if (channels < 1 || channels > 64 || height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE) {
            throw new IllegalArgumentException("conv input must be 1..64 channels of 1.." + MAX_SIDE + " square pixels, got "
                    + channels + "x" + height + "x" + width);
        }
        if (kernels.length == 0 || strides.length != kernels.length || pads.length != kernels.length) {
            throw new IllegalArgumentException("conv layers need one kernel, stride and padding each, got "
                    + kernels.length + ", " + strides.length + " and " + pads.length);
        }
        int h = height;
        int w = width;
        for (int l = 0; l < kernels.length; l++) {
            int k = kernels[l];
            if (k < 1 || k > MAX_KERNEL || strides[l] < 1 || strides[l] > MAX_KERNEL || pads[l] < 0 || pads[l] >= k) {
                throw new IllegalArgumentException("conv layer " + l + ": kernel " + k + ", stride " + strides[l] + ", padding "
                        + pads[l] + " (kernel and stride 1.." + MAX_KERNEL + ", padding 0..kernel-1)");
            }
            h = out(h, l);
            w = out(w, l);
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException("conv layer " + l + " has no output: kernel " + k + " is larger than its "
                        + "padded input");
            }
        }
    }

    private int out(int side, int l) {
        return (side + 2 * pads[l] - kernels[l]) / strides[l] + 1;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Number of conv layers. */
    public int depth() {
        return kernels.length;
    }

    public int kernel(int l) {
        return kernels[l];
    }

    public int stride(int l) {
        return strides[l];
    }

    public int pad(int l) {
        return pads[l];
    }

    public int[] kernels() {
        return kernels.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public int[] pads() {
        return pads.clone();
    }

    /** Values of one image: C·H·W. */
    public int inputSize() {
        return channels * height * width;
    }

    /** Height of layer l's output planes (l = −1: the image). */
    public int outHeight(int l) {
        int h = height;
        for (int i = 0; i <= l; i++) {
            h = out(h, i);
        }
        return h;
    }

    /** Width of layer l's output planes (l = −1: the image). */
    public int outWidth(int l) {
        int w = width;
        for (int i = 0; i <= l; i++) {
            w = out(w, i);
        }
        return w;
    }

    /** Channels layer l reads: the image's for l = 0, else layer l−1's filter count. */
    public int inChannels(int l, int[] filters) {
        return l == 0 ? channels : filters[l - 1];
    }

    /** Values one filter of layer l reads: in-channels · k². */
    public int layerInput(int l, int[] filters) {
        return inChannels(l, filters) * kernels[l] * kernels[l];
    }

    /** Units of layer l: filters · H_l · W_l. */
    public long units(int l, int[] filters) {
        return (long) filters[l] * outHeight(l) * outWidth(l);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ConvShape)) {
            return false;
        }
        ConvShape c = (ConvShape) o;
        return channels == c.channels && height == c.height && width == c.width && Arrays.equals(kernels, c.kernels)
                && Arrays.equals(strides, c.strides) && Arrays.equals(pads, c.pads);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {channels, height, width, Arrays.hashCode(kernels), Arrays.hashCode(strides),
            Arrays.hashCode(pads)});
    }

    /** "1x28x28 k5,5 s1,1 p2,2" */
    @Override
    public String toString() {
        return channels + "x" + height + "x" + width + " k" + ModelFormat.joinInts(kernels) + " s"
                + ModelFormat.joinInts(strides) + " p" + ModelFormat.joinInts(pads);
    }
}
