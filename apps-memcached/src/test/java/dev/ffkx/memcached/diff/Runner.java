package dev.ffkx.memcached.diff;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays batches of commands against one server and hands back its replies, one per expected
 * reply in order, so that the session can set two servers' answers side by side. Each runner
 * keeps the cas uniques its own server returned, to fill in its own cas commands.
 */
interface Runner extends AutoCloseable {
    /** One command of a run, with what the request model expects of it. */
    record Step(long index, Command command, List<RequestModel.Expected> expected) {
        int replies() {
            return expected.stream().mapToInt(RequestModel.Expected::replies).sum();
        }

        boolean closes() {
            return !expected.isEmpty() && expected.get(expected.size() - 1).closes();
        }
    }

    /** A reply that came for a command answered earlier, or for one that expects none. */
    record Late(long index, byte[] payload) {}

    /**
     * A server's answer to a batch.
     *
     * @param replies the replies, in order; a trailing fragment that is not a whole reply counts as one
     * @param problem why the exchange ended early (timeout, closed connection), or null
     * @param framing what was wrong with the datagrams' headers, if anything
     */
    record Answer(List<byte[]> replies, String problem, List<String> framing, List<Late> late) {}

    Answer run(List<Step> batch) throws IOException;

    /** Collects replies still on their way when the run ends. */
    List<Late> finish() throws IOException;

    @Override
    void close() throws IOException;

    /** The cas uniques a server returned, by capture id; old ones are forgotten. */
    final class Captures {
        private final Map<Integer, String> byId = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
                return size() > 100_000;
            }
        };

        String get(int id) {
            return byId.get(id);
        }

        /** Reads the uniques out of a batch's replies, matched to its steps by expected count. */
        void record(List<Step> batch, List<byte[]> replies) {
            int at = 0;
            for (Step s : batch) {
                int n = s.replies();
                if (s.command().captureId() >= 0) {
                    String cas = null;
                    for (int i = at; i < Math.min(at + n, replies.size()) && cas == null; i++) {
                        cas = ReplyComparator.casOf(replies.get(i), s.command().captureKey());
                    }
                    byId.put(s.command().captureId(), cas);
                }
                at += n;
            }
        }
    }

    /** Splits received bytes into replies, keeping a trailing fragment as one more. */
    static List<byte[]> replies(byte[] buf, int from, int to) {
        ReplyFramer.Split split = ReplyFramer.split(buf, from, to);
        List<byte[]> out = new ArrayList<>(split.replies());
        if (split.end() < to) {
            out.add(java.util.Arrays.copyOfRange(buf, split.end(), to));
        }
        return out;
    }
}
