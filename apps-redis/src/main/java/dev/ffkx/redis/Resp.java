package dev.ffkx.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** RESP2 replies and requests, as bytes. */
final class Resp {
    static final byte[] OK = ascii("+OK\r\n");
    static final byte[] NIL = ascii("$-1\r\n");
    static final byte[] NONE = new byte[0];

    private Resp() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** A request: the arguments as a multibulk, name first. */
    static byte[] command(List<byte[]> argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("*" + argv.size() + "\r\n"));
        for (byte[] a : argv) {
            out.writeBytes(bulk(a));
        }
        return out.toByteArray();
    }

    static byte[] bulk(byte[] b) {
        byte[] head = ascii("$" + b.length + "\r\n");
        byte[] r = new byte[head.length + b.length + 2];
        System.arraycopy(head, 0, r, 0, head.length);
        System.arraycopy(b, 0, r, head.length, b.length);
        r[r.length - 2] = '\r';
        r[r.length - 1] = '\n';
        return r;
    }

    static byte[] bulk(String s) {
        return bulk(ascii(s));
    }

    static byte[] integer(long v) {
        return ascii(":" + v + "\r\n");
    }

    static byte[] simple(String s) {
        return ascii("+" + s + "\r\n");
    }

    /**
     * An error reply; Redis turns newlines in error text into spaces so the reply stays one line
     * (addReplyErrorLength), and so does this.
     */
    static byte[] error(String s) {
        return ascii("-" + s.replace('\r', ' ').replace('\n', ' ') + "\r\n");
    }

    /** An array of already encoded elements. */
    static byte[] array(List<byte[]> elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("*" + elements.size() + "\r\n"));
        elements.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** An array of bulk strings. */
    static byte[] bulkArray(List<String> elements) {
        return array(elements.stream().map(Resp::bulk).toList());
    }
}
