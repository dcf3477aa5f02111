package org.fftk.edge.testutil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A tiny protobuf wire-format writer for building ONNX files by hand in tests. */
public final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public ProtoWriter varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    public ProtoWriter tag(int field, int wire) {
        return varint((long) field << 3 | wire);
    }

    public ProtoWriter varintField(int field, long v) {
        return tag(field, 0).varint(v);
    }

    public ProtoWriter bytesField(int field, byte[] b) {
        tag(field, 2).varint(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    public ProtoWriter stringField(int field, String s) {
        return bytesField(field, s.getBytes(StandardCharsets.UTF_8));
    }

    public ProtoWriter messageField(int field, ProtoWriter m) {
        return bytesField(field, m.toByteArray());
    }

    public ProtoWriter fixed32Field(int field, int v) {
        tag(field, 5);
        fixed32(v);
        return this;
    }

    public ProtoWriter fixed32(int v) {
        out.write(v & 0xff);
        out.write(v >>> 8 & 0xff);
        out.write(v >>> 16 & 0xff);
        out.write(v >>> 24 & 0xff);
        return this;
    }

    public ProtoWriter fixed64Field(int field, long v) {
        tag(field, 1);
        fixed32((int) v);
        fixed32((int) (v >>> 32));
        return this;
    }

    public ProtoWriter raw(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
