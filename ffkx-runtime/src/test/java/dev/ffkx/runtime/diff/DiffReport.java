package dev.ffkx.runtime.diff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * What a differential run found: every difference counted, the first {@value #KEPT} kept with
 * their context, and a tally of the reference's replies by kind, which shows what the run
 * actually exercised. The protocol decides what a kind is (see the constructor); the rest is the
 * same for every protocol.
 */
public final class DiffReport {
    static final int KEPT = 50;

    /**
     * One difference.
     *
     * @param index the command's position in the run (0-based)
     * @param kind REPLY (bytes differ), MISSING or EXTRA (reply count), CONNECTION (closed,
     *     timed out, not closed after quit), FRAMING (datagram headers), or MODEL (the reference
     *     contradicted the harness's model of the protocol: a harness bug)
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
    private final String transport;
    private final BiFunction<String, byte[], String> kindOf;
    private final List<Difference> kept = new ArrayList<>();
    private final Map<String, Long> replyKinds = new TreeMap<>();
    private long differences;
    private long commands;
    private long replies;

    /**
     * @param transport how the run reached the servers, for the summary ("TCP")
     * @param kindOf names the kind of a reference reply to a command, as the tally counts it
     *     (e.g. "get VALUE"); the reply is null for a command the reference does not answer
     */
    public DiffReport(String reference, String tested, String transport, BiFunction<String, byte[], String> kindOf) {
        this.reference = reference;
        this.tested = tested;
        this.transport = transport;
        this.kindOf = kindOf;
    }

    public void add(Difference d) {
        differences++;
        if (kept.size() < KEPT) {
            kept.add(d);
        }
    }

    public void commands(long n) {
        commands += n;
    }

    /**
     * Tallies one reference reply to a command named {@code command}, or {@code null} for a
     * command the reference does not answer.
     */
    public void referenceReply(String command, byte[] reply) {
        replies += reply == null ? 0 : 1;
        replyKinds.merge(kindOf.apply(command, reply), 1L, Long::sum);
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

    /** How many replies of each kind the reference gave, as the constructor's function names them. */
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
}
