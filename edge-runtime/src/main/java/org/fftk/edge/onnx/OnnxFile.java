package org.fftk.edge.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fftk.edge.io.InputFiles;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormat;
import org.fftk.edge.model.ModelFormatException;
import org.fftk.edge.model.Tensor;

/**
 * What an ONNX file holds, as far as fftk needs it: metadata_props, initializers (float data
 * decoded, other types listed with their shape only), graph input/output names and sizes. Decoded
 * by hand from the protobuf wire format (no protobuf library). Use {@link #toModel()} or
 * {@link OnnxModelReader} to get a runnable {@link Model}.
 */
public final class OnnxFile {
    /** ONNX TensorProto.DataType values this reader names. */
    public static final int FLOAT = 1;
    public static final int INT8 = 3;
    public static final int INT64 = 7;

    /** Files larger than this are refused before reading (Java arrays top out at 2 GiB). */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    private final long byteSize;
    private long irVersion;
    private String producerName = "";
    private String producerVersion = "";
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Initializer> initializers = new ArrayList<>();
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private boolean hasGraph;
    private String graphName = "";
    private int nodeCount;

    /** One initializer: its name, shape, data type, and for FLOAT tensors the values. */
    public static final class Initializer {
        private final String name;
        private final long[] dims;
        private final int dataType;
        private final float[] floats;
        private final byte[] int8;

        Initializer(String name, long[] dims, int dataType, float[] floats) {
            this(name, dims, dataType, floats, null);
        }

        Initializer(String name, long[] dims, int dataType, float[] floats, byte[] int8) {
            this.name = name;
            this.dims = dims;
            this.dataType = dataType;
            this.floats = floats;
            this.int8 = int8;
        }

        /** The decoded values of an INT8 tensor (not copied: do not modify), or null for other types. */
        public byte[] int8() {
            return int8;
        }

        public String name() {
            return name;
        }

        public long[] dims() {
            return dims.clone();
        }

        /** ONNX TensorProto.DataType (1 = FLOAT, 7 = INT64, ...). */
        public int dataType() {
            return dataType;
        }

        public String dataTypeName() {
            return typeName(dataType);
        }

        /** Number of elements (product of dims). */
        public long elementCount() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }

        /** The decoded values of a FLOAT tensor (not copied: do not modify), or null for other types. */
        public float[] floats() {
            return floats;
        }

        public String shapeString() {
            return Arrays.toString(dims);
        }
    }

    private OnnxFile(long byteSize) {
        this.byteSize = byteSize;
    }

    /** Reads and decodes a file. Content problems give a {@link ModelFormatException} whose message starts with the file name. */
    public static OnnxFile read(Path file) throws IOException {
        return parse(file, readBytes(file));
    }

    /**
     * The bytes of a model file, read once: only a regular file (a device or a named pipe is refused
     * before it is opened, see {@link InputFiles}) of at most {@link #MAX_BYTES}.
     */
    public static byte[] readBytes(Path file) throws IOException {
        return InputFiles.readAll(file, MAX_BYTES, "model file");
    }

    /** Decodes bytes read from {@code file}; content problems give a {@link ModelFormatException} that starts with the file name. */
    public static OnnxFile parse(Path file, byte[] bytes) {
        try {
            return parse(bytes);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** Decodes the bytes of an ONNX file. */
    public static OnnxFile parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw new ModelFormatException("not an ONNX file: it is empty");
        }
        OnnxFile f = new OnnxFile(bytes.length);
        f.parseModel(new WireReader(bytes, 0, bytes.length));
        if (!f.hasGraph) {
            throw new ModelFormatException("not an ONNX model: the file holds no graph (" + bytes.length + " bytes)");
        }
        return f;
    }

    private void parseModel(WireReader r) {
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1:
                    r.expect(tag, WireReader.VARINT, "ModelProto.ir_version");
                    irVersion = r.readVarint();
                    break;
                case 2:
                    r.expect(tag, WireReader.LEN, "ModelProto.producer_name");
                    producerName = r.readString();
                    break;
                case 3:
                    r.expect(tag, WireReader.LEN, "ModelProto.producer_version");
                    producerVersion = r.readString();
                    break;
                case 7:
                    r.expect(tag, WireReader.LEN, "ModelProto.graph");
                    hasGraph = true;
                    parseGraph(r.sub());
                    break;
                case 8:
                    r.expect(tag, WireReader.LEN, "ModelProto.opset_import");
                    parseOpset(r.sub());
                    break;
                case 14:
                    r.expect(tag, WireReader.LEN, "ModelProto.metadata_props");
                    parseEntry(r.sub());
                    break;
                default:
                    r.skip(tag);
            }
        }
    }

    private void parseOpset(WireReader r) {
        String domain = "";
        long version = 0;
        while (r.hasMore()) {
            int tag = r.readTag();
            if (tag >>> 3 == 1 && (tag & 7) == WireReader.LEN) {
                domain = r.readString();
            } else if (tag >>> 3 == 2 && (tag & 7) == WireReader.VARINT) {
                version = r.readVarint();
            } else {
                r.skip(tag);
            }
        }
        opsets.put(domain, version);
    }

    private void parseEntry(WireReader r) {
        String key = "";
        String value = "";
        while (r.hasMore()) {
            int tag = r.readTag();
            if (tag >>> 3 == 1) {
                r.expect(tag, WireReader.LEN, "metadata key");
                key = r.readString();
            } else if (tag >>> 3 == 2) {
                r.expect(tag, WireReader.LEN, "metadata value");
                value = r.readString();
            } else {
                r.skip(tag);
            }
        }
        metadata.put(key, value);
    }

    private void parseGraph(WireReader r) {
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1:
                    r.expect(tag, WireReader.LEN, "GraphProto.node");
                    r.skip(tag);
                    nodeCount++;
                    break;
                case 2:
                    r.expect(tag, WireReader.LEN, "GraphProto.name");
                    graphName = r.readString();
                    break;
                case 5:
                    r.expect(tag, WireReader.LEN, "GraphProto.initializer");
                    initializers.add(parseTensor(r.sub()));
                    break;
                case 11:
                    r.expect(tag, WireReader.LEN, "GraphProto.input");
                    inputs.add(valueInfoName(r.sub()));
                    break;
                case 12:
                    r.expect(tag, WireReader.LEN, "GraphProto.output");
                    outputs.add(valueInfoName(r.sub()));
                    break;
                default:
                    r.skip(tag);
            }
        }
    }

    private static String valueInfoName(WireReader r) {
        String name = "";
        while (r.hasMore()) {
            int tag = r.readTag();
            if (tag >>> 3 == 1) {
                r.expect(tag, WireReader.LEN, "ValueInfoProto.name");
                name = r.readString();
            } else {
                r.skip(tag);
            }
        }
        return name;
    }

    private Initializer parseTensor(WireReader r) {
        int start = r.position();
        long[] dims = new long[4];
        int nd = 0;
        long dataType = 0;
        String name = "";
        int rawFrom = -1;
        int rawTo = -1;
        float[] fd = new float[0];
        int nf = 0;
        int[] id = new int[0];
        int ni = 0;
        boolean external = false;
        while (r.hasMore()) {
            int tag = r.readTag();
            int field = tag >>> 3;
            int wire = tag & 7;
            if (field == 1 && wire == WireReader.VARINT) {
                if (nd == dims.length) {
                    dims = Arrays.copyOf(dims, nd * 2);
                }
                dims[nd++] = r.readVarint();
            } else if (field == 1 && wire == WireReader.LEN) {
                WireReader p = r.sub();
                while (p.hasMore()) {
                    if (nd == dims.length) {
                        dims = Arrays.copyOf(dims, nd * 2);
                    }
                    dims[nd++] = p.readVarint();
                }
            } else if (field == 2) {
                r.expect(tag, WireReader.VARINT, "TensorProto.data_type");
                dataType = r.readVarint();
            } else if (field == 4 && wire == WireReader.FIXED32) {
                if (nf == fd.length) {
                    fd = Arrays.copyOf(fd, Math.max(16, nf * 2));
                }
                fd[nf++] = Float.intBitsToFloat(r.readFixed32());
            } else if (field == 4 && wire == WireReader.LEN) {
                int at = r.position();
                int end = r.readLength();
                int n = end - r.position();
                if (n % 4 != 0) {
                    throw r.corrupt("packed float_data at byte " + at + " is " + n + " bytes, not a multiple of 4");
                }
                if (fd.length - nf < n / 4) {
                    fd = Arrays.copyOf(fd, nf + n / 4);
                }
                ByteBuffer.wrap(r.buffer(), r.position(), n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(fd, nf, n / 4);
                nf += n / 4;
                r.seek(end);
            } else if (field == 5 && wire == WireReader.VARINT) {
                if (ni == id.length) {
                    id = Arrays.copyOf(id, Math.max(16, ni * 2));
                }
                id[ni++] = (int) r.readVarint();
            } else if (field == 5 && wire == WireReader.LEN) {
                WireReader p = r.sub();
                while (p.hasMore()) {
                    if (ni == id.length) {
                        id = Arrays.copyOf(id, Math.max(16, ni * 2));
                    }
                    id[ni++] = (int) p.readVarint();
                }
            } else if (field == 8) {
                r.expect(tag, WireReader.LEN, "TensorProto.name");
                name = r.readString();
            } else if (field == 9) {
                r.expect(tag, WireReader.LEN, "TensorProto.raw_data");
                rawTo = r.readLength();
                rawFrom = r.position();
                r.seek(rawTo);
            } else if (field == 14 && wire == WireReader.VARINT) {
                external = r.readVarint() == 1;
            } else {
                r.skip(tag);
            }
        }
        long[] shape = Arrays.copyOf(dims, nd);
        long count = 1;
        for (long d : shape) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw r.corrupt("initializer '" + name + "' (at byte " + start + ") has dimension " + d);
            }
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw r.corrupt("initializer '" + name + "' (at byte " + start + ") has absurd shape " + Arrays.toString(shape));
            }
        }
        if (dataType == INT8 && !external) {
            byte[] q = new byte[(int) count];
            if (rawFrom >= 0) {
                if (rawTo - rawFrom != count) {
                    throw r.corrupt("initializer '" + name + "' has " + (rawTo - rawFrom) + " bytes of raw_data for shape "
                            + Arrays.toString(shape) + " (expected " + count + ")");
                }
                System.arraycopy(r.buffer(), rawFrom, q, 0, (int) count);
            } else {
                if (ni != count) {
                    throw r.corrupt("initializer '" + name + "' has " + ni + " int32_data values for shape "
                            + Arrays.toString(shape) + " (expected " + count + ")");
                }
                for (int k = 0; k < ni; k++) {
                    if (id[k] < Byte.MIN_VALUE || id[k] > Byte.MAX_VALUE) {
                        throw r.corrupt("initializer '" + name + "' holds " + id[k] + ", outside int8");
                    }
                    q[k] = (byte) id[k];
                }
            }
            return new Initializer(name, shape, INT8, null, q);
        }
        if (dataType != FLOAT) {
            return new Initializer(name, shape, (int) Math.min(dataType, Integer.MAX_VALUE), null);
        }
        if (external) {
            throw new ModelFormatException("initializer '" + name + "' keeps its data in an external file, which fftk does not support");
        }
        float[] values;
        if (rawFrom >= 0) {
            long bytes = rawTo - rawFrom;
            if (bytes != count * 4) {
                throw r.corrupt("initializer '" + name + "' has " + bytes + " bytes of raw_data for shape "
                        + Arrays.toString(shape) + " (expected " + count * 4 + ")");
            }
            values = new float[(int) count];
            ByteBuffer.wrap(r.buffer(), rawFrom, (int) bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else {
            if (nf != count) {
                throw r.corrupt("initializer '" + name + "' has " + nf + " float_data values for shape "
                        + Arrays.toString(shape) + " (expected " + count + ")");
            }
            values = nf == fd.length ? fd : Arrays.copyOf(fd, nf);
        }
        return new Initializer(name, shape, FLOAT, values);
    }

    /** Name of an ONNX data type value. */
    public static String typeName(int t) {
        String[] names = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL",
            "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};
        return t >= 0 && t < names.length ? names[t] : "type " + t;
    }

    /** True when the file carries fftk's metadata (docs/algorithms.md "Model file"). */
    public boolean isFftk() {
        return metadata.containsKey(ModelFormat.KEY_FORMAT);
    }

    /**
     * Rebuilds the fftk model this file holds.
     *
     * @throws ModelFormatException when it is not an fftk model, or its weights do not match its metadata
     */
    public Model toModel() {
        if (!isFftk()) {
            throw new ModelFormatException("not an fftk model: the ONNX file (producer '" + producerName
                    + "') has no '" + ModelFormat.KEY_FORMAT + "' metadata_props entry");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, ModelFormat.Int8Tensor> int8 = new LinkedHashMap<>();
        for (Initializer i : initializers) {
            if (i.int8() != null) {
                int8.put(i.name(), new ModelFormat.Int8Tensor(i.dims, i.int8()));
                continue;
            }
            if (i.floats() == null) {
                if (i.name().startsWith("layer") || i.name().startsWith(ModelFormat.CLASSIFIER + ".")) {
                    if (i.name().matches("layer\\d+\\.(weight|bias|backward_weight)|classifier\\.(weight|bias)")) {
                        throw new ModelFormatException("initializer '" + i.name() + "' is " + i.dataTypeName()
                                + ", expected FLOAT");
                    }
                }
                continue;
            }
            tensors.put(i.name(), new Tensor(i.name(), i.dims, i.floats()));
        }
        return ModelFormat.fromParts(metadata, tensors, int8);
    }

    /** Size of the file in bytes. */
    public long byteSize() {
        return byteSize;
    }

    public long irVersion() {
        return irVersion;
    }

    public String producerName() {
        return producerName;
    }

    public String producerVersion() {
        return producerVersion;
    }

    /** Operator set versions by domain ("" is the default ONNX domain). */
    public Map<String, Long> opsets() {
        return Collections.unmodifiableMap(opsets);
    }

    /** metadata_props in file order. */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public List<Initializer> initializers() {
        return Collections.unmodifiableList(initializers);
    }

    /** Graph input names (may include initializer names in files with old IR versions). */
    public List<String> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<String> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public String graphName() {
        return graphName;
    }

    public int nodeCount() {
        return nodeCount;
    }
}
