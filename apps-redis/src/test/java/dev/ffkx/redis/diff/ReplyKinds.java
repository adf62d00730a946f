package dev.ffkx.redis.diff;

import java.nio.charset.StandardCharsets;

/**
 * How a {@link dev.ffkx.runtime.diff.DiffReport} tallies Redis's replies: the command's name and
 * the reply's type, with errors by message: "GET $" (a hit), "GET $-1" (a miss), "SET +OK",
 * "INCR :", "ZRANGE *", "ZADD -ERR value is not a valid float". Quoted parts of messages
 * (command names, arguments) are folded to {@code '…'}.
 */
final class ReplyKinds {
    private ReplyKinds() {}

    static String of(String command, byte[] reply) {
        if (reply == null) {
            return command + " (no reply)";
        }
        if (reply.length == 0) {
            return command + " (empty)";
        }
        String text = new String(reply, StandardCharsets.ISO_8859_1);
        int cr = text.indexOf("\r\n");
        String first = cr < 0 ? text : text.substring(0, cr);
        char type = first.charAt(0);
        String kind = switch (type) {
            case '-' -> first.replaceAll("'[^']*'", "'…'");
            case '+' -> first;
            case '$', '*' -> first.equals(type + "-1") ? first : String.valueOf(type);
            default -> String.valueOf(type);
        };
        return command + " " + kind;
    }
}
