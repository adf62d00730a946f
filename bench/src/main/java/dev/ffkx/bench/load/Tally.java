package dev.ffkx.bench.load;

import java.util.EnumMap;
import java.util.Map;

/** Everything one event-loop thread counted: per-type stats and the counters that must be shown. */
final class Tally {
    final Map<OpType, OpStats> byType = new EnumMap<>(OpType.class);
    /** UDP requests that got no reply within --udp-timeout. */
    long timeouts;
    /** UDP replies that came after their request had timed out, or for no request at all. */
    long lateReplies;
    /** Connections that failed or were closed by the server while requests were outstanding. */
    long connectionFailures;
    /** Requests outstanding on connections that failed; they are neither answered nor timed out. */
    long lostOnFailedConnections;
    long verified;
    long unchecked;
    long mismatches;
    long missing;
    String firstProblem;

    Tally() {
        for (OpType t : OpType.values()) {
            byType.put(t, new OpStats());
        }
    }

    OpStats of(OpType type) {
        return byType.get(type);
    }

    void problem(String description) {
        if (firstProblem == null) {
            firstProblem = description;
        }
    }

    void add(Tally other) {
        for (OpType t : OpType.values()) {
            byType.get(t).add(other.byType.get(t));
        }
        timeouts += other.timeouts;
        lateReplies += other.lateReplies;
        connectionFailures += other.connectionFailures;
        lostOnFailedConnections += other.lostOnFailedConnections;
        verified += other.verified;
        unchecked += other.unchecked;
        mismatches += other.mismatches;
        missing += other.missing;
        if (firstProblem == null) {
            firstProblem = other.firstProblem;
        }
    }
}
