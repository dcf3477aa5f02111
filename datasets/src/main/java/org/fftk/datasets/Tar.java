package org.fftk.datasets;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Minimal ustar/GNU tar reader: extracts regular files whose base name is wanted. */
final class Tar {
    private Tar() {
    }

    /**
     * Copies each regular entry whose base name is in {@code wanted} to {@code dir/<base name>}.
     *
     * @return base name → written path
     */
    static Map<String, Path> extract(InputStream in, Set<String> wanted, Path dir) throws IOException {
        Map<String, Path> out = new HashMap<>();
        byte[] hdr = new byte[512];
        String longName = null;
        while (true) {
            if (!readBlock(in, hdr)) {
                break;
            }
            boolean zero = true;
            for (byte b : hdr) {
                if (b != 0) {
                    zero = false;
                    break;
                }
            }
            if (zero) {
                break;
            }
            String name = str(hdr, 0, 100);
            String prefix = str(hdr, 345, 155);
            if (!prefix.isEmpty() && "ustar".equals(str(hdr, 257, 5))) {
                name = prefix + "/" + name;
            }
            long size = octal(hdr, 124, 12);
            char type = (char) hdr[156];
            if (longName != null) {
                name = longName;
                longName = null;
            }
            if (type == 'L') {
                byte[] nb = readBytes(in, size);
                longName = new String(nb, StandardCharsets.UTF_8).replace("\0", "");
                skipPadding(in, size);
                continue;
            }
            String base = name.substring(name.lastIndexOf('/') + 1);
            if ((type == '0' || type == 0) && wanted.contains(base)) {
                Path target = dir.resolve(base);
                try (OutputStream os = Files.newOutputStream(target)) {
                    copy(in, os, size);
                }
                out.put(base, target);
            } else {
                skip(in, size);
            }
            skipPadding(in, size);
        }
        return out;
    }

    private static boolean readBlock(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int r = in.read(b, off, b.length - off);
            if (r < 0) {
                if (off == 0) {
                    return false;
                }
                throw new EOFException("truncated tar archive");
            }
            off += r;
        }
        return true;
    }

    private static byte[] readBytes(InputStream in, long n) throws IOException {
        if (n > 1 << 20) {
            throw new IOException("tar long name too long");
        }
        byte[] b = new byte[(int) n];
        int off = 0;
        while (off < b.length) {
            int r = in.read(b, off, b.length - off);
            if (r < 0) {
                throw new EOFException("truncated tar archive");
            }
            off += r;
        }
        return b;
    }

    private static void copy(InputStream in, OutputStream os, long n) throws IOException {
        byte[] buf = new byte[1 << 16];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException("truncated tar archive");
            }
            os.write(buf, 0, r);
            n -= r;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        byte[] buf = new byte[1 << 16];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException("truncated tar archive");
            }
            n -= r;
        }
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        long pad = (512 - size % 512) % 512;
        skip(in, pad);
    }

    private static String str(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8).trim();
    }

    private static long octal(byte[] b, int off, int len) throws IOException {
        String s = str(b, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("corrupt tar header (size '" + s + "')");
        }
    }
}
