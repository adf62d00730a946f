package dev.ffkx.memcached;

import dev.ffkx.runtime.stream.StreamSession;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The slow path's memcached text protocol for one client stream (a TCP connection, or one UDP
 * datagram): frames commands exactly as memcached 1.6.18 does, answers what only user space
 * answers (errors, stats, version, verbosity, flush_all, quit, too-large values, UDP multi-gets)
 * and hands every store operation to the kernel engine, so the heap has one writer protocol.
 * The rules it follows are listed, with the evidence, in apps-memcached/README.md. Over TCP it is
 * the {@link StreamSession} of a connection, behind the kernel's sk_skb fast path.
 */
final class TextSession implements StreamSession {
    /** Where replies go; over UDP each call is a message of its own. */
    interface Replies {
        void send(byte[] message);
    }

    private static final int KEY_MAX = 250;
    private static final int MAX_WORDS = 23;
    private static final int LINE_MAX = 2048;
    private static final byte[] END = bytes("END\r\n");

    private final MemcachedKernel kernel;
    private final SlowPathStats stats;
    private final boolean udp;
    private byte[] buf = new byte[8192];
    private int start, end;
    private long swallow;
    private byte[] afterSwallow;
    private long fed;
    private long finished;

    TextSession(MemcachedKernel kernel, SlowPathStats stats, boolean udp) {
        this.kernel = kernel;
        this.stats = stats;
        this.udp = udp;
    }

    void feed(byte[] data, int off, int len) {
        if (end + len > buf.length) {
            int live = end - start;
            byte[] grown = live + len > buf.length ? new byte[Math.max(buf.length * 2, live + len)] : buf;
            System.arraycopy(buf, start, grown, 0, live);
            buf = grown;
            start = 0;
            end = live;
        }
        System.arraycopy(data, off, buf, end, len);
        end += len;
        fed += len;
    }

    @Override
    public boolean receive(ByteBuffer in, java.util.function.Consumer<byte[]> replies) {
        int n = in.remaining();
        feed(in.array(), in.arrayOffset() + in.position(), n);
        in.position(in.limit());
        stats.tcpReads.increment();
        return process(replies::accept);
    }

    /** Bytes fed whose commands are answered; none while a data block is being swallowed. */
    @Override
    public long finished() {
        return finished;
    }

    /** Answers every complete command buffered; false once the connection must be closed. */
    boolean process(Replies out) {
        boolean open = answerAll(out);
        if (swallow == 0) {
            finished = fed - (end - start);
        }
        return open;
    }

    private boolean answerAll(Replies out) {
        while (true) {
            if (swallow > 0) {
                long n = Math.min(swallow, end - start);
                start += (int) n;
                swallow -= n;
                if (swallow > 0) {
                    return true;
                }
                if (afterSwallow != null) {
                    out.send(afterSwallow);
                    afterSwallow = null;
                }
            }
            int nl = indexOf((byte) '\n', start, end);
            if (nl < 0) {
                return !tooLongLine();
            }
            int lineEnd = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
            String line = new String(buf, start, lineEnd - start, StandardCharsets.ISO_8859_1);
            int nul = line.indexOf('\0');
            if (nul >= 0) {
                line = line.substring(0, nul);
            }
            int lineStart = start;
            start = nl + 1;
            Outcome o = command(line, lineStart, out);
            if (o == Outcome.WAIT) {
                start = lineStart;
                return true;
            }
            if (o == Outcome.CLOSE) {
                return false;
            }
        }
    }

    private enum Outcome { NEXT, WAIT, CLOSE }

    /** memcached closes a connection on a long line that is not a get. */
    private boolean tooLongLine() {
        if (end - start <= LINE_MAX) {
            return false;
        }
        String head = new String(buf, start, Math.min(end - start, 110), StandardCharsets.ISO_8859_1).stripLeading();
        return !(head.startsWith("get ") || head.startsWith("gets "));
    }

    private Outcome command(String line, int lineStart, Replies out) {
        List<String> words = words(line);
        String cmd = words.isEmpty() ? "" : words.get(0);
        int n = words.size();
        if (n == 0 || cmd.length() < 2) {
            return reply(out, "ERROR\r\n", false);
        }
        switch (cmd) {
            case "get": case "gets": case "gat": case "gats":
                return retrieve(cmd, words, out);
            case "set": case "add": case "replace": case "append": case "prepend":
                return n == 5 || n == 6 ? store(cmd, words, lineStart, out) : reply(out, "ERROR\r\n", false);
            case "cas":
                return n == 6 || n == 7 ? store(cmd, words, lineStart, out) : reply(out, "ERROR\r\n", false);
            case "delete":
                return delete(words, out);
            case "incr": case "decr":
                return n == 3 || n == 4 ? arithmetic(words, out) : reply(out, "ERROR\r\n", false);
            case "touch":
                return n == 3 || n == 4 ? touch(words, out) : reply(out, "ERROR\r\n", false);
            case "flush_all":
                return n <= 3 ? flushAll(words, out) : reply(out, "ERROR\r\n", false);
            case "verbosity":
                return n == 2 || n == 3 ? verbosity(words, out) : reply(out, "ERROR\r\n", false);
            case "version":
                return reply(out, "VERSION 1.6.18-ffkx\r\n", false);
            case "stats":
                return n == 1 ? reply(out, stats.render(kernel), false) : reply(out, "ERROR\r\n", false);
            case "quit":
                if (udp) {
                    out.send(new byte[0]);
                }
                return Outcome.CLOSE;
            default:
                return reply(out, "ERROR\r\n", false);
        }
    }

    /** Words as memcached splits them: on spaces only, at most 23, the rest of the line one word. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        int i = 0, len = line.length();
        while (i < len) {
            while (i < len && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= len) {
                break;
            }
            if (words.size() == MAX_WORDS) {
                words.add(line.substring(i));
                break;
            }
            int s = i;
            while (i < len && line.charAt(i) != ' ') {
                i++;
            }
            words.add(line.substring(s, i));
        }
        return words;
    }

    private Outcome reply(Replies out, String text, boolean noreply) {
        if (!noreply) {
            out.send(bytes(text));
        }
        return Outcome.NEXT;
    }

    private static boolean noreply(List<String> words, int maxWords) {
        return words.size() == maxWords && words.get(maxWords - 1).equals("noreply");
    }

    private Outcome retrieve(String cmd, List<String> words, Replies out) {
        boolean touch = cmd.startsWith("gat");
        int first = touch ? 2 : 1;
        if (words.size() < 2) {
            return reply(out, "ERROR\r\n", false);
        }
        String exptime = null;
        if (touch) {
            Integer e = Numbers.int32(words.get(1));
            if (e == null) {
                return reply(out, "CLIENT_ERROR invalid exptime argument\r\n", false);
            }
            exptime = Integer.toString(e);
        }
        List<String> keys = new ArrayList<>(words.subList(first, words.size()));
        if (!keys.isEmpty() && keys.size() + first > MAX_WORDS) {
            String rest = keys.remove(keys.size() - 1);
            keys.addAll(words(rest));
        }
        // an overlong key anywhere replaces the whole reply, so nothing goes out before the last key
        List<byte[]> values = new ArrayList<>();
        for (String key : keys) {
            if (key.length() > KEY_MAX) {
                return reply(out, "CLIENT_ERROR bad command line format\r\n", false);
            }
            values.add(valueOf(cmd, exptime, key));
        }
        if (udp) {
            // memcached answers each key over UDP in a message of its own; END rides with the last
            for (int i = 0; i < values.size(); i++) {
                out.send(i == values.size() - 1 ? concat(values.get(i), END) : values.get(i));
            }
            if (values.isEmpty()) {
                out.send(END);
            }
        } else {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            values.forEach(all::writeBytes);
            all.writeBytes(END);
            out.send(all.toByteArray());
        }
        return Outcome.NEXT;
    }

    /** One key's VALUE block (empty for a miss), read through the kernel engine. */
    private byte[] valueOf(String cmd, String exptime, String key) {
        String request = cmd + (exptime != null ? " " + exptime : "") + " " + key + "\r\n";
        byte[] reply = kernel.execute(bytes(request));
        if (reply != null) {
            return Arrays.copyOf(reply, reply.length - END.length);
        }
        // larger than the engine's reply buffer: pin the item and copy it out of the heap
        MemcachedKernel.Item it = kernel.ref(bytes(key), exptime != null, exptime == null ? 0 : Long.parseLong(exptime));
        if (it == null) {
            return new byte[0];
        }
        try {
            byte[] value = kernel.value(it, key.length());
            String head = "VALUE " + key + " " + it.flags() + " " + it.nbytes()
                    + (cmd.endsWith("s") ? " " + Numbers.unsignedString(it.cas()) : "") + "\r\n";
            return concat(concat(bytes(head), value), bytes("\r\n"));
        } finally {
            kernel.unref(it);
        }
    }

    private Outcome store(String cmd, List<String> words, int lineStart, Replies out) {
        boolean isCas = cmd.equals("cas");
        int max = isCas ? 7 : 6;
        boolean noreply = noreply(words, max);
        String key = words.get(1);
        Long flags = Numbers.flags(words.get(2));
        Integer exptime = Numbers.int32(words.get(3));
        Integer vlen = Numbers.int32(words.get(4));
        java.math.BigInteger casUnique = isCas ? Numbers.unsigned64(words.get(5)) : null;
        if (key.length() > KEY_MAX || flags == null || exptime == null || vlen == null
                || (isCas && casUnique == null) || vlen < 0 || vlen > Integer.MAX_VALUE - 2) {
            return reply(out, "CLIENT_ERROR bad command line format\r\n", noreply);
        }
        long need = (long) vlen + 2;
        if (tooLarge(key, flags, vlen)) {
            if (cmd.equals("set")) {
                kernel.execute(bytes("delete " + key + " noreply\r\n"));
            }
            stats.tooLarge.increment();
            long have = end - start;
            if (udp && have < need) {
                return Outcome.NEXT; // the value runs past the datagram: memcached answers nothing
            }
            swallow = need;
            afterSwallow = noreply ? null : bytes("SERVER_ERROR object too large for cache\r\n");
            return Outcome.NEXT;
        }
        if (end - start < need) {
            if (udp) {
                start = end;
                return Outcome.NEXT;
            }
            return Outcome.WAIT;
        }
        int dataStart = start;
        start += (int) need;
        if (buf[dataStart + vlen] != '\r' || buf[dataStart + vlen + 1] != '\n') {
            return reply(out, "CLIENT_ERROR bad data chunk\r\n", noreply);
        }
        String head = cmd + " " + key + " " + flags + " " + exptime + " " + vlen
                + (isCas ? " " + casUnique : "") + (noreply ? " noreply" : "") + "\r\n";
        byte[] request = concat(bytes(head), Arrays.copyOfRange(buf, dataStart, dataStart + vlen + 2));
        byte[] reply = kernel.execute(request);
        if (reply == null) {
            // larger than the engine's request buffer: build the item, write the value, link it
            stats.declined.increment();
            int result = kernel.store(opCode(cmd), bytes(key), flags, exptime,
                    Arrays.copyOfRange(buf, dataStart, dataStart + vlen), isCas ? casUnique.longValue() : 0, null);
            return reply(out, resultText(result), noreply);
        }
        out.send(reply);
        return Outcome.NEXT;
    }

    private static int opCode(String cmd) {
        switch (cmd) {
            case "set": return MemcachedKernel.SET;
            case "add": return MemcachedKernel.ADD;
            case "replace": return MemcachedKernel.REPLACE;
            case "append": return MemcachedKernel.APPEND;
            case "prepend": return MemcachedKernel.PREPEND;
            default: return MemcachedKernel.CAS;
        }
    }

    private static String resultText(int result) {
        switch (result) {
            case MemcachedKernel.STORED: return "STORED\r\n";
            case MemcachedKernel.NOT_STORED: return "NOT_STORED\r\n";
            case MemcachedKernel.EXISTS: return "EXISTS\r\n";
            case MemcachedKernel.NOT_FOUND: return "NOT_FOUND\r\n";
            default: return "SERVER_ERROR out of memory storing object\r\n";
        }
    }

    /** memcached's -I rule, see mc_too_large() in the kernel. */
    private boolean tooLarge(String key, long flags, long vlen) {
        return vlen + 59 + key.length() + (flags != 0 ? 4 : 0) > kernel.itemLimit();
    }

    private Outcome delete(List<String> words, Replies out) {
        int n = words.size();
        if (n < 2 || n > 4) {
            return reply(out, "ERROR\r\n", false);
        }
        boolean noreply = n >= 3 && words.get(n - 1).equals("noreply");
        String key = words.get(1);
        if (key.length() > KEY_MAX) {
            return reply(out, "CLIENT_ERROR bad command line format\r\n", noreply);
        }
        if (n > (noreply ? 3 : 2) && !words.get(2).equals("0")) {
            return reply(out, "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n", noreply);
        }
        return engine("delete " + key + (noreply ? " noreply" : "") + "\r\n", out);
    }

    private Outcome arithmetic(List<String> words, Replies out) {
        boolean noreply = words.get(words.size() - 1).equals("noreply");
        String key = words.get(1);
        if (key.length() > KEY_MAX) {
            return reply(out, "CLIENT_ERROR bad command line format\r\n", noreply);
        }
        java.math.BigInteger delta = Numbers.unsigned64(words.get(2));
        if (delta == null) {
            return reply(out, "CLIENT_ERROR invalid numeric delta argument\r\n", noreply);
        }
        String request = words.get(0) + " " + key + " " + delta + (noreply ? " noreply" : "") + "\r\n";
        byte[] reply = kernel.execute(bytes(request));
        if (reply != null) {
            out.send(reply);
            return Outcome.NEXT;
        }
        stats.declined.increment();
        return reply(out, arithmeticSlow(words.get(0).equals("incr"), key, delta), noreply);
    }

    /**
     * incr/decr on values the engine leaves to user space: numbers as strtoull reads them (white
     * space, a sign, text after a space), and results longer than the value they replace.
     */
    private String arithmeticSlow(boolean incr, String key, java.math.BigInteger delta) {
        while (true) {
            MemcachedKernel.Item it = kernel.ref(bytes(key), false, 0);
            if (it == null) {
                return "NOT_FOUND\r\n";
            }
            try {
                byte[] old = kernel.value(it, key.length());
                String text = new String(old, StandardCharsets.ISO_8859_1);
                int space = firstSpaceAfterNumber(text);
                java.math.BigInteger v = old.length == 0 || old.length > kernel.itemLimit() / 2
                        ? null : Numbers.unsigned64(text.substring(0, space));
                if (v == null) {
                    return "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n";
                }
                java.math.BigInteger u64 = java.math.BigInteger.ONE.shiftLeft(64);
                v = incr ? v.add(delta).mod(u64) : (delta.compareTo(v) > 0 ? java.math.BigInteger.ZERO : v.subtract(delta));
                String digits = v.toString();
                // memcached rewrites in place, padded with spaces, when the number is no longer
                String stored = digits.length() <= old.length ? digits + " ".repeat(old.length - digits.length()) : digits;
                int result = kernel.store(MemcachedKernel.REWRITE, bytes(key), 0, 0, bytes(stored), 0, it);
                if (result == MemcachedKernel.STORED) {
                    return digits + "\r\n";
                }
                if (result != MemcachedKernel.EAGAIN) {
                    return resultText(result);
                }
            } finally {
                kernel.unref(it);
            }
        }
    }

    /** The end of the first word after leading white space, as C's isspace sees it. */
    private static int firstSpaceAfterNumber(String text) {
        int i = Numbers.skipCSpace(text, 0);
        while (i < text.length() && !Numbers.isCSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private Outcome touch(List<String> words, Replies out) {
        boolean noreply = words.get(words.size() - 1).equals("noreply");
        String key = words.get(1);
        if (key.length() > KEY_MAX) {
            return reply(out, "CLIENT_ERROR bad command line format\r\n", noreply);
        }
        Integer exptime = Numbers.int32(words.get(2));
        if (exptime == null) {
            return reply(out, "CLIENT_ERROR invalid exptime argument\r\n", noreply);
        }
        return engine("touch " + key + " " + exptime + (noreply ? " noreply" : "") + "\r\n", out);
    }

    private Outcome flushAll(List<String> words, Replies out) {
        boolean noreply = words.get(words.size() - 1).equals("noreply");
        long delay = 0;
        if (words.size() == (noreply ? 3 : 2)) {
            Integer d = Numbers.int32(words.get(1));
            if (d == null) {
                return reply(out, "CLIENT_ERROR invalid exptime argument\r\n", noreply);
            }
            delay = d;
        }
        kernel.flush(delay);
        return reply(out, "OK\r\n", noreply);
    }

    private Outcome verbosity(List<String> words, Replies out) {
        boolean noreply = words.get(words.size() - 1).equals("noreply");
        if (!noreply && Numbers.int32(words.get(1)) == null) {
            return reply(out, "CLIENT_ERROR bad command line format\r\n", false);
        }
        return reply(out, "OK\r\n", noreply);
    }

    private Outcome engine(String request, Replies out) {
        byte[] reply = kernel.execute(bytes(request));
        if (reply == null) {
            throw new IllegalStateException("the engine declined " + request.strip());
        }
        if (reply.length > 0) {
            out.send(reply);
        }
        return Outcome.NEXT;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
