package dev.ffkx.runtime.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The demonstrator's slow path: RESP framing, PING, ECHO, and an error for anything else. */
final class RespHandler implements StreamHandler {
    @Override
    public int frame(ByteBuffer in) {
        int p = in.position();
        if (in.get(p) != '*') {
            int eol = lineEnd(in, p);
            return eol < 0 ? 0 : eol + 1 - p;
        }
        int eol = lineEnd(in, p);
        if (eol < 0) {
            return 0;
        }
        int count = Integer.parseInt(ascii(in, p + 1, eol - 1 - (p + 1)));
        int at = eol + 1;
        for (int i = 0; i < count; i++) {
            int e = lineEnd(in, at);
            if (e < 0) {
                return 0;
            }
            int len = Integer.parseInt(ascii(in, at + 1, e - 1 - (at + 1)));
            at = e + 1 + len + 2;
            if (at > in.limit()) {
                return 0;
            }
        }
        return at - p;
    }

    @Override
    public byte[] answer(ByteBuffer command) {
        List<String> args = args(command);
        String name = args.isEmpty() ? "" : args.get(0).toUpperCase();
        String reply = switch (name) {
            case "PING" -> "+PONG\r\n";
            case "ECHO" -> "$" + args.get(1).length() + "\r\n" + args.get(1) + "\r\n";
            default -> "-ERR unknown command '" + name + "'\r\n";
        };
        return reply.getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> args(ByteBuffer c) {
        List<String> args = new ArrayList<>();
        if (c.get(0) != '*') {
            for (String s : ascii(c, 0, c.limit()).trim().split(" +")) {
                args.add(s);
            }
            return args;
        }
        int eol = lineEnd(c, 0);
        int count = Integer.parseInt(ascii(c, 1, eol - 2));
        int at = eol + 1;
        for (int i = 0; i < count; i++) {
            int e = lineEnd(c, at);
            int len = Integer.parseInt(ascii(c, at + 1, e - 1 - (at + 1)));
            args.add(ascii(c, e + 1, len));
            at = e + 1 + len + 2;
        }
        return args;
    }

    private static int lineEnd(ByteBuffer b, int from) {
        for (int i = from; i < b.limit(); i++) {
            if (b.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(ByteBuffer b, int off, int len) {
        byte[] s = new byte[len];
        b.get(off, s);
        return new String(s, StandardCharsets.US_ASCII);
    }
}
