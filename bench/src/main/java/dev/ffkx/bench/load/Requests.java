package dev.ffkx.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Encodes requests of one protocol straight into Netty buffers. */
final class Requests {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final String KEY = "__key__";
    private static final String DATA = "__data__";

    private final Protocol protocol;
    private final byte[] prefix;
    /** The custom command split into arguments, each a list of literal pieces and placeholders; null without one. */
    private final List<List<Object>> command;
    private final String commandName;

    Requests(LoadSpec spec) {
        this.protocol = spec.protocol();
        this.prefix = spec.keyPrefix().getBytes(StandardCharsets.US_ASCII);
        if (spec.command() == null) {
            this.command = null;
            this.commandName = null;
        } else {
            this.command = new ArrayList<>();
            String[] args = spec.command().split("\\s+");
            for (String arg : args) {
                command.add(pieces(arg));
            }
            this.commandName = args[0];
        }
    }

    /** The label of the custom command's row, as memtier prints it ("Zadds"). */
    static String commandLabel(String command) {
        String name = command.strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1) + "s";
    }

    private static List<Object> pieces(String arg) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < arg.length()) {
            int k = arg.indexOf(KEY, i);
            int d = arg.indexOf(DATA, i);
            int next = k < 0 ? d : d < 0 ? k : Math.min(k, d);
            if (next < 0) {
                out.add(arg.substring(i).getBytes(StandardCharsets.UTF_8));
                break;
            }
            if (next > i) {
                out.add(arg.substring(i, next).getBytes(StandardCharsets.UTF_8));
            }
            out.add(next == k ? KEY : DATA);
            i = next + (next == k ? KEY.length() : DATA.length());
        }
        return out;
    }

    byte[] key(long number) {
        byte[] digits = Long.toString(number).getBytes(StandardCharsets.US_ASCII);
        byte[] key = new byte[prefix.length + digits.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(digits, 0, key, prefix.length, digits.length);
        return key;
    }

    void set(ByteBuf out, byte[] key, byte[] value) {
        if (protocol == Protocol.REDIS) {
            out.writeBytes("*3\r\n$3\r\nSET\r\n".getBytes(StandardCharsets.US_ASCII));
            bulk(out, key);
            bulk(out, value);
        } else {
            ascii(out, "set ");
            out.writeBytes(key);
            ascii(out, " 0 0 " + value.length + "\r\n");
            out.writeBytes(value);
            out.writeBytes(CRLF);
        }
    }

    void get(ByteBuf out, byte[] key) {
        if (protocol == Protocol.REDIS) {
            out.writeBytes("*2\r\n$3\r\nGET\r\n".getBytes(StandardCharsets.US_ASCII));
            bulk(out, key);
        } else {
            ascii(out, "get ");
            out.writeBytes(key);
            out.writeBytes(CRLF);
        }
    }

    /** The custom command with its placeholders filled: a RESP array, or one memcached line. */
    void command(ByteBuf out, byte[] key, byte[] value) {
        if (protocol == Protocol.REDIS) {
            ascii(out, "*" + command.size() + "\r\n");
            for (List<Object> arg : command) {
                int len = 0;
                for (Object p : arg) {
                    len += p == KEY ? key.length : p == DATA ? value.length : ((byte[]) p).length;
                }
                ascii(out, "$" + len + "\r\n");
                writePieces(out, arg, key, value);
                out.writeBytes(CRLF);
            }
        } else {
            for (int i = 0; i < command.size(); i++) {
                if (i > 0) {
                    out.writeByte(' ');
                }
                writePieces(out, command.get(i), key, value);
            }
            out.writeBytes(CRLF);
        }
    }

    String commandName() {
        return commandName;
    }

    private static void writePieces(ByteBuf out, List<Object> pieces, byte[] key, byte[] value) {
        for (Object p : pieces) {
            out.writeBytes(p == KEY ? key : p == DATA ? value : (byte[]) p);
        }
    }

    private static void bulk(ByteBuf out, byte[] bytes) {
        ascii(out, "$" + bytes.length + "\r\n");
        out.writeBytes(bytes);
        out.writeBytes(CRLF);
    }

    private static void ascii(ByteBuf out, String s) {
        out.writeCharSequence(s, StandardCharsets.US_ASCII);
    }
}
