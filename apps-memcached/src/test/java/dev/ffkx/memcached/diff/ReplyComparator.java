package dev.ffkx.memcached.diff;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a tested server's reply with the reference's, byte for byte, with three exceptions.
 * {@code version} and {@code stats} must only have the right shape: their contents are the
 * server's own. And cas uniques may differ, since each server numbers items its own way, but
 * consistently: over a whole run, reference uniques and tested uniques must map one to one, so
 * that "unchanged" and "changed" look the same on both.
 */
final class ReplyComparator {
    private final Map<String, String> referenceToTested = new HashMap<>();
    private final Map<String, String> testedToReference = new HashMap<>();

    /** Returns null when the replies match, or why they do not. */
    String compare(String command, byte[] reference, byte[] tested) {
        if (command.equals("version") && isVersion(reference)) {
            return isVersion(tested) ? null : "not a VERSION line";
        }
        if (command.equals("stats") && isStatList(reference)) {
            return isStatList(tested) ? null : "not STAT lines ending in END";
        }
        Normal r = normalize(reference);
        Normal t = normalize(tested);
        if (!Arrays.equals(r.bytes(), t.bytes())) {
            return "replies differ";
        }
        for (int i = 0; i < r.cas().size(); i++) {
            String a = r.cas().get(i);
            String b = t.cas().get(i);
            String seen = referenceToTested.get(a);
            if (seen != null && !seen.equals(b)) {
                return "cas " + b + " stands for the reference's " + a + ", which was " + seen + " before";
            }
            String seenBack = testedToReference.get(b);
            if (seenBack != null && !seenBack.equals(a)) {
                return "cas " + b + " stood for the reference's " + seenBack + ", now for its " + a;
            }
            referenceToTested.put(a, b);
            testedToReference.put(b, a);
        }
        return null;
    }

    /** The cas unique in a VALUE line of {@code reply} for {@code key}, or null. */
    static String casOf(byte[] reply, byte[] key) {
        int pos = 0;
        while (pos < reply.length) {
            int cr = crlf(reply, pos);
            if (cr < 0) {
                return null;
            }
            if (!ReplyFramer.startsWith(reply, pos, cr, "VALUE ")) {
                return null;
            }
            List<byte[]> f = fields(reply, pos, cr);
            if (f.size() == 5 && Arrays.equals(f.get(1), key)) {
                String cas = new String(f.get(4), StandardCharsets.ISO_8859_1);
                return cas.matches("[0-9]{1,20}") ? cas : null;
            }
            long n = ReplyFramer.valueLength(reply, pos, cr);
            if (n < 0) {
                return null;
            }
            pos = (int) (cr + 2 + n + 2);
        }
        return null;
    }

    /** A reply with every VALUE line's cas unique replaced by "*", and the uniques taken out. */
    private record Normal(byte[] bytes, List<String> cas) {}

    private static Normal normalize(byte[] reply) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(reply.length);
        List<String> cas = new ArrayList<>();
        int pos = 0;
        while (pos < reply.length) {
            int cr = crlf(reply, pos);
            if (cr < 0) {
                out.write(reply, pos, reply.length - pos);
                break;
            }
            int next = cr + 2;
            if (ReplyFramer.startsWith(reply, pos, cr, "VALUE ")) {
                List<byte[]> f = fields(reply, pos, cr);
                if (f.size() == 5) {
                    int lastSpace = cr - f.get(4).length - 1;
                    out.write(reply, pos, lastSpace - pos);
                    out.writeBytes(RequestModel.ascii(" *\r\n"));
                    cas.add(new String(f.get(4), StandardCharsets.ISO_8859_1));
                } else {
                    out.write(reply, pos, next - pos);
                }
                long n = ReplyFramer.valueLength(reply, pos, cr);
                if (n >= 0 && next + n + 2 <= reply.length) {
                    out.write(reply, next, (int) n + 2);
                    next += (int) n + 2;
                }
            } else {
                out.write(reply, pos, next - pos);
            }
            pos = next;
        }
        return new Normal(out.toByteArray(), cas);
    }

    private static boolean isVersion(byte[] reply) {
        int cr = crlf(reply, 0);
        return ReplyFramer.startsWith(reply, 0, reply.length, "VERSION ") && cr == reply.length - 2;
    }

    private static boolean isStatList(byte[] reply) {
        int pos = 0;
        while (true) {
            int cr = crlf(reply, pos);
            if (cr < 0) {
                return false;
            }
            if (cr + 2 == reply.length) {
                return cr - pos == 3 && ReplyFramer.startsWith(reply, pos, cr, "END");
            }
            if (!ReplyFramer.startsWith(reply, pos, cr, "STAT ")) {
                return false;
            }
            pos = cr + 2;
        }
    }

    private static List<byte[]> fields(byte[] b, int from, int to) {
        return RequestModel.tokenize(Arrays.copyOfRange(b, from, to));
    }

    private static int crlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
