package dev.ffkx.runtime.diff;

/** Bytes shown in reports: printable ASCII as is, the rest escaped, long runs cut in the middle. */
public final class Text {
    private static final int HEAD = 160;
    private static final int TAIL = 60;

    private Text() {}

    public static String show(byte[] b) {
        if (b == null) {
            return "(nothing)";
        }
        if (b.length <= HEAD + TAIL) {
            return escape(b, 0, b.length);
        }
        return escape(b, 0, HEAD) + "...(" + b.length + " bytes)..." + escape(b, b.length - TAIL, b.length);
    }

    private static String escape(byte[] b, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        s.append((char) c);
                    } else {
                        s.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return s.toString();
    }
}
