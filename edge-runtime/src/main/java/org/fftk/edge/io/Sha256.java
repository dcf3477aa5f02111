package org.fftk.edge.io;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests, written as 64 lower-case hex digits (as {@code sha256sum} prints them). */
public final class Sha256 {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Sha256() {
    }

    /** A fresh SHA-256 digest (every JVM has one). */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** The hex SHA-256 of {@code data}. */
    public static String hex(byte[] data) {
        return hex(digest(), data);
    }

    /** The hex SHA-256 of a stream's remaining bytes (the stream is read to its end, not closed). */
    public static String hex(InputStream in) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
        }
        return toHex(md.digest());
    }

    /** Finishes {@code md} with {@code data} and returns the digest as hex. */
    public static String hex(MessageDigest md, byte[] data) {
        return toHex(md.digest(data));
    }

    /** Bytes as lower-case hex. */
    public static String toHex(byte[] b) {
        char[] s = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            s[2 * i] = HEX[(b[i] >> 4) & 15];
            s[2 * i + 1] = HEX[b[i] & 15];
        }
        return new String(s);
    }
}
