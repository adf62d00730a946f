package dev.ffkx.memcached.diff;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * How a {@link dev.ffkx.runtime.diff.DiffReport} tallies memcached's replies, by command and
 * kind: "cas EXISTS", "incr &lt;number&gt;", "get VALUE" (a hit), "set (no reply)". A reply is
 * known by its first line, with numbers and values folded.
 */
final class ReplyKinds {
    private static final Set<String> COMMANDS = Set.of("get", "gets", "gat", "gats", "bget", "set", "add", "replace",
            "append", "prepend", "cas", "incr", "decr", "delete", "touch", "stats", "version", "verbosity", "flush_all",
            "quit");

    private ReplyKinds() {}

    static String of(String command, byte[] reply) {
        return (COMMANDS.contains(command) ? command : "(other)") + " " + kind(reply);
    }

    private static String kind(byte[] reply) {
        if (reply == null) {
            return "(no reply)";
        }
        String text = new String(reply, StandardCharsets.ISO_8859_1);
        int cr = text.indexOf("\r\n");
        String first = cr < 0 ? text : text.substring(0, cr);
        if (first.startsWith("VALUE ")) {
            return "VALUE";
        }
        if (first.startsWith("STAT ")) {
            return "STAT";
        }
        if (first.startsWith("VERSION ")) {
            return "VERSION";
        }
        if (!first.isEmpty() && first.chars().allMatch(Character::isDigit)) {
            return "<number>";
        }
        return first;
    }
}
