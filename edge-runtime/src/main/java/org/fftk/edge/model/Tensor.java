package org.fftk.edge.model;

import java.util.Arrays;

/** A named float tensor as stored in a model file: dims and row-major data. */
public final class Tensor {
    private final String name;
    private final long[] dims;
    private final float[] data;

    public Tensor(String name, long[] dims, float[] data) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension");
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + data.length + " values for shape "
                    + Arrays.toString(dims));
        }
        this.name = name;
        this.dims = dims.clone();
        this.data = data;
    }

    public String name() {
        return name;
    }

    public long[] dims() {
        return dims.clone();
    }

    /** The values, not copied: callers must not modify them. */
    public float[] data() {
        return data;
    }

    public String shapeString() {
        return Arrays.toString(dims);
    }
}
