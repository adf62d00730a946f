package dev.ffkx.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --verify} for one connection, which owns its keys (see {@link Keys}).
 *
 * <p>Over TCP the server answers a connection in order, so a GET must return exactly the value of
 * the last SET before it that was answered STORED: anything else, an older value included, is a
 * mismatch. Over UDP the server may run two datagrams of one client in either order, and a SET
 * whose reply was lost may or may not have been stored. There a GET must return a version no
 * older than the newest SET known to be stored before the GET was sent (one sent after every
 * earlier SET of the key was answered or had timed out, and then answered STORED), and no newer
 * than the last SET sent before the answer arrived.
 *
 * <p>A GET of a key this run has not set yet is not checked: the server may hold a value from an
 * earlier run. Over UDP that is also true until one of this run's SETs of the key is known to be
 * stored, so an answer outside this run's versions is not checked until then either. A miss where
 * a value is known to be stored is counted as missing, apart from mismatches, since a cache may
 * evict.
 */
final class Verifier {
    private static final class KeyState {
        long lastSent;
        /** TCP: the last version answered STORED. UDP: the newest version known to be stored. */
        long stored;
        int inFlight;
    }

    private final Map<Long, KeyState> keys = new HashMap<>();
    private final long run;
    private final boolean ordered;
    private final int dataSize;
    private final Requests requests;

    Verifier(long run, boolean ordered, int dataSize, Requests requests) {
        this.run = run;
        this.ordered = ordered;
        this.dataSize = dataSize;
        this.requests = requests;
    }

    /** The value a SET sent by {@link #setSent} writes. */
    byte[] value(Pending p) {
        return Values.versioned(run, p.key, p.version, dataSize);
    }

    void setSent(Pending p) {
        KeyState s = keys.computeIfAbsent(p.key, k -> new KeyState());
        p.version = ++s.lastSent;
        p.afterResolved = s.inFlight == 0;
        s.inFlight++;
    }

    void setAnswered(Pending p, boolean stored) {
        KeyState s = keys.get(p.key);
        s.inFlight--;
        if (stored && (ordered || p.afterResolved)) {
            s.stored = Math.max(s.stored, p.version);
        }
    }

    /** A SET whose reply never came: it may have been stored, so it stops no later SET from counting. */
    void setTimedOut(Pending p) {
        keys.get(p.key).inFlight--;
    }

    void getSent(Pending p) {
        KeyState s = keys.get(p.key);
        p.version = s == null || s.lastSent == 0 ? -1 : s.stored;
    }

    void getAnswered(Pending p, Reply r, ByteBuf buf, Tally tally) {
        KeyState s = keys.get(p.key);
        long lo;
        long hi;
        boolean known;
        if (ordered) {
            lo = hi = s == null ? 0 : s.stored;
            known = lo > 0;
        } else {
            lo = Math.max(1, p.version);
            hi = s == null ? 0 : s.lastSent;
            known = p.version > 0;
        }
        if (ordered ? !known : p.version < 0) {
            tally.unchecked++;
            return;
        }
        if (r.kind == Reply.Kind.MISS) {
            if (known) {
                tally.missing++;
                tally.problem("GET " + key(p) + " missed, but version " + lo + " was stored before it");
            } else {
                tally.unchecked++;
            }
            return;
        }
        if (r.kind != Reply.Kind.HIT) {
            return;
        }
        long version = Values.versionOf(run, p.key, buf, r.valueIndex, r.valueLength, dataSize);
        if (!known && (version < lo || version > hi)) {
            tally.unchecked++;
            return;
        }
        tally.verified++;
        if (version < lo || version > hi) {
            tally.mismatches++;
            tally.problem("GET " + key(p) + " returned " + (version < 0
                    ? "a value this run never wrote: " + preview(buf, r)
                    : "version " + version) + ", expected " + (lo == hi ? "version " + lo : "a version in [" + lo + ", " + hi + "]"));
        }
    }

    private String key(Pending p) {
        return new String(requests.key(p.key), StandardCharsets.US_ASCII);
    }

    private static String preview(ByteBuf buf, Reply r) {
        return "'" + buf.toString(r.valueIndex, Math.min(r.valueLength, 40), StandardCharsets.US_ASCII) + "'"
                + (r.valueLength > 40 ? "... (" + r.valueLength + " bytes)" : "");
    }
}
