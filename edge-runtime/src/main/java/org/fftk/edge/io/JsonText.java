package org.fftk.edge.io;

/** JSON string escaping for the few JSON lines the runtime and the importer write by hand (no JSON library here). */
public final class JsonText {
    private JsonText() {
    }

    /** {@code v} with quotes, backslashes and control characters escaped (without surrounding quotes). */
    public static String escape(String v) {
        StringBuilder b = new StringBuilder();
        for (char c : v.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
