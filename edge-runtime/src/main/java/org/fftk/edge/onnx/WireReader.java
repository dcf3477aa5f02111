package org.fftk.edge.onnx;

import java.nio.charset.StandardCharsets;
import org.fftk.edge.model.ModelFormatException;

/**
 * Minimal protobuf wire-format cursor over a byte array region. Every length is checked against
 * the bytes that remain, varints are capped at 10 bytes, and groups are refused, so a corrupt
 * file gives a one-line {@link ModelFormatException}, never an index error, an OOM or a hang.
 */
final class WireReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private final int limit;

    WireReader(byte[] buf, int from, int limit) {
        this.buf = buf;
        this.pos = from;
        this.limit = limit;
    }

    boolean hasMore() {
        return pos < limit;
    }

    int position() {
        return pos;
    }

    /** Reads a field key; returns (field number << 3 | wire type) after checking both. */
    int readTag() {
        int at = pos;
        long key = readVarint();
        int wire = (int) (key & 7);
        long field = key >>> 3;
        if (field < 1 || field > 536_870_911L) {
            throw corrupt("invalid field number " + field + " at byte " + at);
        }
        if (wire != VARINT && wire != FIXED64 && wire != LEN && wire != FIXED32) {
            throw corrupt("unsupported wire type " + wire + " (field " + field + ") at byte " + at);
        }
        return (int) key;
    }

    long readVarint() {
        int at = pos;
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= limit) {
                throw corrupt("varint at byte " + at + " runs past the end");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw corrupt("varint at byte " + at + " is longer than 10 bytes");
    }

    int readFixed32() {
        need(4, "fixed32");
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    long readFixed64() {
        need(8, "fixed64");
        long lo = readFixed32() & 0xffffffffL;
        long hi = readFixed32() & 0xffffffffL;
        return lo | hi << 32;
    }

    /** Reads a length prefix and returns the end offset of the region (position is at its start). */
    int readLength() {
        int at = pos;
        long len = readVarint();
        if (len < 0 || len > limit - pos) {
            throw corrupt("length " + (len < 0 ? Long.toUnsignedString(len) : Long.toString(len)) + " at byte " + at
                    + " runs past the end");
        }
        return pos + (int) len;
    }

    /** A reader over the next length-delimited field; this reader skips past it. */
    WireReader sub() {
        int end = readLength();
        WireReader r = new WireReader(buf, pos, end);
        pos = end;
        return r;
    }

    String readString() {
        int end = readLength();
        String s = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
        pos = end;
        return s;
    }

    /** Skips the value of a field whose tag was just read. */
    void skip(int tag) {
        switch (tag & 7) {
            case VARINT:
                readVarint();
                break;
            case FIXED64:
                need(8, "fixed64");
                pos += 8;
                break;
            case LEN:
                pos = readLength();
                break;
            case FIXED32:
                need(4, "fixed32");
                pos += 4;
                break;
            default:
                throw corrupt("unsupported wire type " + (tag & 7) + " at byte " + pos);
        }
    }

    /** Checks that a tag has the wire type a known field needs. */
    void expect(int tag, int wire, String what) {
        if ((tag & 7) != wire) {
            throw corrupt(what + " has wire type " + (tag & 7) + ", expected " + wire + " (before byte " + pos + ")");
        }
    }

    byte[] buffer() {
        return buf;
    }

    /** Moves the position to {@code p}, which must lie within the region. */
    void seek(int p) {
        if (p < pos || p > limit) {
            throw new IllegalStateException("seek outside the region");
        }
        pos = p;
    }

    private void need(int n, String what) {
        if (limit - pos < n) {
            throw corrupt(what + " at byte " + pos + " runs past the end");
        }
    }

    ModelFormatException corrupt(String what) {
        return new ModelFormatException("corrupt ONNX file: " + what + " (file is " + buf.length + " bytes)");
    }
}
