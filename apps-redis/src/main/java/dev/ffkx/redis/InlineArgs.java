package dev.ffkx.redis;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** An inline request line split into arguments as Redis' sdssplitargs does it, quotes and escapes included. */
final class InlineArgs {
    private InlineArgs() {}

    /** The arguments, or null for unbalanced quotes (a quote not closed, or followed by a non-space). */
    static List<byte[]> split(byte[] line) {
        List<byte[]> args = new ArrayList<>();
        int p = 0, n = line.length;
        while (true) {
            while (p < n && isSpace(at(line, p))) {
                p++;
            }
            if (at(line, p) == 0) {
                return args;
            }
            ByteArrayOutputStream cur = new ByteArrayOutputStream();
            boolean inq = false, insq = false, done = false;
            while (!done) {
                int c = at(line, p);
                if (inq) {
                    if (c == '\\' && at(line, p + 1) == 'x' && isHex(at(line, p + 2)) && isHex(at(line, p + 3))) {
                        cur.write(hex(at(line, p + 2)) * 16 + hex(at(line, p + 3)));
                        p += 3;
                    } else if (c == '\\' && at(line, p + 1) != 0) {
                        p++;
                        int e = at(line, p);
                        cur.write(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (at(line, p + 1) != 0 && !isSpace(at(line, p + 1))) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        cur.write(c);
                    }
                } else if (insq) {
                    if (c == '\\' && at(line, p + 1) == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (at(line, p + 1) != 0 && !isSpace(at(line, p + 1))) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        cur.write(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inq = true;
                        case '\'' -> insq = true;
                        default -> cur.write(c);
                    }
                }
                if (at(line, p) != 0) {
                    p++;
                }
            }
            args.add(cur.toByteArray());
        }
    }

    /** The byte at i, or 0 past the end: the line is a C string to sdssplitargs, so a NUL ends it too. */
    private static int at(byte[] s, int i) {
        return i < s.length ? s[i] & 0xff : 0;
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(int c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    private static int hex(int c) {
        return Character.digit(c, 16);
    }
}
