package dev.ffkx.memcached.diff;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a differential run found: every difference counted, the first {@value #KEPT} kept with
 * their context, and a tally of the reference's replies by kind, which shows what the run
 * actually exercised.
 */
public final class DiffReport {
    static final int KEPT = 50;
    private static final Set<String> COMMANDS = Set.of("get", "gets", "gat", "gats", "bget", "set", "add", "replace",
            "append", "prepend", "cas", "incr", "decr", "delete", "touch", "stats", "version", "verbosity", "flush_all",
            "quit");

    /**
     * One difference.
     *
     * @param index the command's position in the run (0-based)
     * @param kind REPLY (bytes differ), MISSING or EXTRA (reply count), CONNECTION (closed,
     *     timed out, not closed after quit), FRAMING (UDP headers), or MODEL (the reference
     *     contradicted the harness's model of memcached: a harness bug)
     * @param command the request as sent
     * @param context the commands just before it
     */
    public record Difference(long index, String kind, String command, String reference, String tested, String detail,
            List<String> context) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            s.append(kind).append(" at command #").append(index).append(": ").append(detail).append('\n');
            s.append("  command:   ").append(command).append('\n');
            s.append("  reference: ").append(reference).append('\n');
            s.append("  tested:    ").append(tested).append('\n');
            if (!context.isEmpty()) {
                s.append("  after:\n");
                for (String c : context) {
                    s.append("    ").append(c).append('\n');
                }
            }
            return s.toString();
        }
    }

    private final String reference;
    private final String tested;
    private final Transport transport;
    private final List<Difference> kept = new ArrayList<>();
    private final Map<String, Long> replyKinds = new TreeMap<>();
    private long differences;
    private long commands;
    private long replies;

    DiffReport(String reference, String tested, Transport transport) {
        this.reference = reference;
        this.tested = tested;
        this.transport = transport;
    }

    void add(Difference d) {
        differences++;
        if (kept.size() < KEPT) {
            kept.add(d);
        }
    }

    void commands(long n) {
        commands += n;
    }

    /**
     * Tallies one reference reply to a command named {@code command}, or {@code null} for a
     * command the reference does not answer.
     */
    void referenceReply(String command, byte[] reply) {
        replies += reply == null ? 0 : 1;
        replyKinds.merge((COMMANDS.contains(command) ? command : "(other)") + " " + kind(reply), 1L, Long::sum);
    }

    public boolean clean() {
        return differences == 0;
    }

    public long differences() {
        return differences;
    }

    public List<Difference> kept() {
        return Collections.unmodifiableList(kept);
    }

    public long commands() {
        return commands;
    }

    /**
     * How many replies of each kind the reference gave, by command: "cas EXISTS", "incr <number>",
     * "get VALUE" (a hit), "set (no reply)". A reply is known by its first line, with numbers
     * and values folded.
     */
    public Map<String, Long> referenceReplyKinds() {
        return Collections.unmodifiableMap(replyKinds);
    }

    /** The counts, the first difference in full, and the reply tally. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(tested).append(" against ").append(reference).append(" over ").append(transport).append(": ")
                .append(commands).append(" commands, ").append(replies).append(" replies, ")
                .append(differences).append(differences == 1 ? " difference" : " differences").append('\n');
        if (!kept.isEmpty()) {
            s.append("first: ").append(kept.get(0));
            for (Difference d : kept.subList(1, Math.min(kept.size(), 10))) {
                s.append("then ").append(d.kind()).append(" at #").append(d.index()).append(": ").append(d.command())
                        .append(" -> ").append(d.tested()).append(" (reference ").append(d.reference()).append(")\n");
            }
        }
        s.append("reference replies: ").append(replyKinds).append('\n');
        return s.toString();
    }

    @Override
    public String toString() {
        return summary();
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
