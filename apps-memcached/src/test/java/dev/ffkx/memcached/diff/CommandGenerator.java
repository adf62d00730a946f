package dev.ffkx.memcached.diff;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An endless, seeded stream of memcached text-protocol commands, mostly well-formed and aimed at
 * a small key space so that reads hit, cas races are won and lost, and counters get counted, with
 * every kind of malformed input memcached answers deterministically mixed in.
 *
 * <p>What it never writes is as deliberate as what it does, because a differential test is only
 * as good as the reference is deterministic:
 * <ul>
 *   <li>no exptime that falls due during a run: relative ones are at least 1000 s or negative,
 *       absolute ones far ahead or in the past, and a delayed flush_all waits an hour or more
 *       (memcached's clock ticks once a second from its own start, so two servers disagree
 *       about a deadline close to now);
 *   <li>no incr or decr on a value that may be 2^63 or more (see {@code arithmetic});
 *   <li>no delayed flush_all after an immediate one (see {@code flushAll}: memcached brings flushed items back);
 *   <li>no data block left incomplete: memcached holds a too-large value's
 *       {@code SERVER_ERROR} (and any reply queued before it) until it has swallowed the whole
 *       value, so the value is always sent in full;
 *   <li>no line over 2048 bytes except a multi-get: whether memcached hangs up on one depends on
 *       how its reads happened to split the bytes;
 *   <li>no get with an over-long key except right after a successful get: refusing one, memcached
 *       discards every reply still queued on the connection, and only a get flushes that queue
 *       at a known point;
 *   <li>no meta or admin commands, whose replies {@link RequestModel} does not describe.
 * </ul>
 * Absolute exptimes are written relative to {@code unixNow}, so a seed reproduces a run up to
 * the clock.
 */
public final class CommandGenerator {
    private static final int HOT_KEYS = 48;
    private static final BigInteger HUGE = BigInteger.ONE.shiftLeft(63);
    private static final String[] UNKNOWN = {"foo", "GET", "Set", "gett", "sets", "deletee", "incrr", "touchx",
        "version2", "quitx", "stat", "flushall", "verbose", "bgets", "x", "12", "\tget", "get\tk"};

    private final Random rnd;
    private final long unixNow;
    private final int itemSizeMax;
    private final Transport transport;
    private final List<byte[]> keys = new ArrayList<>();
    private final List<byte[]> counters = new ArrayList<>();
    private final List<byte[]> bigKeys = new ArrayList<>();
    private final Map<ByteBuffer, ArrayDeque<Integer>> captures = new HashMap<>();
    private final ArrayDeque<byte[]> recentlyCaptured = new ArrayDeque<>();
    private final List<Supplier<Command>> makers = new ArrayList<>();
    private final List<Integer> upTo = new ArrayList<>();
    private int totalWeight;
    private int nextCapture;
    private boolean flushedAtOnce;
    /** For each key, a bound on the number it may hold (see {@link #arithmetic}). */
    private final Map<ByteBuffer, BigInteger> bounds = new HashMap<>();

    /**
     * @param itemSizeMax the servers' {@code -I}, to aim values at either side of the limit
     * @param transport UDP caps each request at one datagram and never sends quit mid-run
     */
    public CommandGenerator(long seed, long unixNow, int itemSizeMax, Transport transport) {
        this.rnd = new Random(seed);
        this.unixNow = unixNow;
        this.itemSizeMax = itemSizeMax;
        this.transport = transport;
        makeKeys();
        weigh(2000, () -> get("get"));
        weigh(450, () -> multiGet(rnd.nextBoolean() ? "get" : "gets"));
        weigh(800, () -> capturingGet(null));
        weigh(1800, () -> storage("set"));
        weigh(350, () -> storage("add"));
        weigh(350, () -> storage("replace"));
        weigh(300, () -> storage("append"));
        weigh(300, () -> storage("prepend"));
        weigh(840, this::cas);
        weigh(500, this::delete);
        weigh(450, () -> arithmetic("incr"));
        weigh(350, () -> arithmetic("decr"));
        weigh(250, this::touch);
        weigh(250, this::gat);
        weigh(200, () -> capturingGet(exptime()));
        weigh(20, () -> Command.of(rnd.nextBoolean() ? "stats\r\n" : "stats  \r\n"));
        weigh(30, () -> Command.of("version\r\n"));
        weigh(30, this::verbosity);
        weigh(3, this::flushAll); // rare: it empties the store
        weigh(600, this::malformed);
        weigh(50, this::overlongGet);
        weigh(20, () -> transport == Transport.TCP ? Command.of("quit\r\n") : get("get"));
    }

    /** The next command. */
    public Command next() {
        int r = rnd.nextInt(totalWeight);
        int i = 0;
        while (r >= upTo.get(i)) {
            i++;
        }
        return makers.get(i).get();
    }

    /** Adds a kind of command, chosen {@code weight} times in 10000. */
    private void weigh(int weight, Supplier<Command> make) {
        totalWeight += weight;
        upTo.add(totalWeight);
        makers.add(make);
    }

    private void makeKeys() {
        Set<ByteBuffer> seen = new HashSet<>();
        // Hot keys first: the edge lengths and the non-ASCII bytes must be hit often.
        for (int i = 0; i < 6; i++) {
            addKey(keys, seen, 1, false);
        }
        for (int i = 0; i < 6; i++) {
            addKey(keys, seen, RequestModel.KEY_MAX, false);
        }
        addKey(keys, seen, RequestModel.KEY_MAX - 1, false);
        addKey(keys, seen, RequestModel.KEY_MAX - 1, false);
        for (int i = 0; i < 10; i++) {
            addKey(keys, seen, 3 + rnd.nextInt(18), true);
        }
        while (keys.size() < 240) {
            addKey(keys, seen, 2 + rnd.nextInt(39), false);
        }
        for (int i = 0; i < 24; i++) {
            addKey(counters, seen, 2 + rnd.nextInt(9), false);
        }
        for (int i = 0; i < 8; i++) {
            addKey(bigKeys, seen, 2 + rnd.nextInt(3), false);
        }
    }

    private void addKey(List<byte[]> into, Set<ByteBuffer> seen, int length, boolean highBytes) {
        while (true) {
            byte[] k = new byte[length];
            for (int i = 0; i < length; i++) {
                k[i] = (byte) (highBytes && rnd.nextBoolean() ? 0x80 + rnd.nextInt(0x7f) : 0x21 + rnd.nextInt(0x5e));
            }
            k[0] = (byte) "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".charAt(rnd.nextInt(62));
            if (seen.add(ByteBuffer.wrap(k))) {
                into.add(k);
                return;
            }
        }
    }

    private byte[] key() {
        int r = rnd.nextInt(100);
        if (r < 5) {
            return pick(bigKeys);
        }
        if (r < 15) {
            return pick(counters);
        }
        return r < 65 ? keys.get(rnd.nextInt(HOT_KEYS)) : pick(keys);
    }

    private boolean isBig(byte[] key) {
        return bigKeys.contains(key);
    }

    private byte[] overlongKey() {
        byte[] k = new byte[RequestModel.KEY_MAX + 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(50) : 0)];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) ('a' + rnd.nextInt(26));
        }
        return k;
    }

    // ---- reads

    private Command get(String name) {
        return Command.of(line(name).word(key()).end());
    }

    private Command multiGet(String name) {
        int n = rnd.nextInt(100) < 85 ? 2 + rnd.nextInt(7) : 20 + rnd.nextInt(21); // 20+ crosses 24 tokens
        Req r = line(name);
        for (int i = 0; i < n; i++) {
            r.word(key());
        }
        return Command.of(r.end());
    }

    /** A gets (or a gats when {@code exptime} is given) whose cas unique a later cas may use. */
    private Command capturingGet(String exptime) {
        byte[] k = key();
        Req r = exptime == null ? line("gets") : line("gats").word(exptime);
        r.word(k);
        if (rnd.nextInt(10) == 0) {
            r.word(key());
        }
        int id = nextCapture++;
        ArrayDeque<Integer> ids = captures.computeIfAbsent(ByteBuffer.wrap(k), x -> new ArrayDeque<>());
        ids.addFirst(id);
        if (ids.size() > 4) {
            ids.removeLast();
        }
        recentlyCaptured.addFirst(k);
        if (recentlyCaptured.size() > 16) {
            recentlyCaptured.removeLast();
        }
        return Command.capturing(r.end(), id, k);
    }

    private Command gat() {
        Req r = line(rnd.nextBoolean() ? "gat" : "gats").word(exptime());
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            r.word(key());
        }
        return Command.of(r.end());
    }

    /** A successful get, then a get that names an over-long key (see the class comment). */
    private Command overlongGet() {
        String name = pick("get", "gets", "gat", "gats");
        Req second = line(name);
        if (name.startsWith("gat")) {
            second.word(exptime());
        }
        second.word(key());
        if (rnd.nextBoolean()) {
            second.word(key());
        }
        second.word(overlongKey());
        if (rnd.nextBoolean()) {
            second.word(key());
        }
        return Command.of(concat(line("get").word(key()).end(), second.end()));
    }

    // ---- writes

    private Command storage(String name) {
        byte[] k = key();
        Flags f = flags();
        boolean concatenates = name.equals("append") || name.equals("prepend");
        byte[] v = concatenates ? appendValue(k) : value(k, f.value());
        Req r = line(name).word(k).word(f.text()).word(exptime()).word(length(v.length));
        if (rnd.nextInt(100) < 20) {
            r.word("noreply");
        }
        byte[] bytes = withValue(r, v);
        if (name.equals("append")) {
            appended(k, v);
        } else if (name.equals("prepend")) {
            prepended(k, v);
        } else {
            stored(k, v, name.equals("set"));
        }
        return Command.of(bytes);
    }

    private Command cas() {
        byte[] k = !recentlyCaptured.isEmpty() && rnd.nextInt(5) != 0 ? pick(new ArrayList<>(recentlyCaptured)) : key();
        Flags f = flags();
        Req r = line("cas").word(k).word(f.text()).word(exptime()).word("");
        ArrayDeque<Integer> ids = captures.get(ByteBuffer.wrap(k));
        int choice = rnd.nextInt(100);
        int from = -1;
        if (ids != null && choice < 90) {
            List<Integer> list = new ArrayList<>(ids);
            // The latest capture usually still matches; an older one is usually stale.
            from = choice < 65 || list.size() == 1 ? list.get(0) : list.get(1 + rnd.nextInt(list.size() - 1));
            r.hole();
        } else {
            r.word(pick("0", "18446744073709551615", "00", "+0"));
        }
        if (rnd.nextInt(100) < 15) {
            r.word("noreply");
        }
        byte[] v = value(k, f.value());
        byte[] bytes = withValue(r, v);
        stored(k, v, false);
        return from < 0 ? Command.of(bytes) : Command.withCas(bytes, r.holeAt(), from);
    }

    /**
     * Ends a storage line (whose fifth word is the length, left blank or not) and appends the
     * value. Over UDP the value is cut so that the request fits a datagram, with a cas unique of
     * up to 20 digits still to come.
     */
    private byte[] withValue(Req r, byte[] value) {
        byte[] v = value;
        if (r.blank(4)) {
            r.set(4, Integer.toString(v.length));
        }
        byte[] head = r.end();
        int room = Transport.MAX_DATAGRAM_REQUEST - head.length - 2 - (r.holeAt() < 0 ? 0 : 20);
        if (transport == Transport.UDP && v.length > room) {
            v = Arrays.copyOf(v, room);
            r.set(4, Integer.toString(room));
            head = r.end();
        }
        return concat(head, v, crlf());
    }

    private Command delete() {
        byte[] k = key();
        int r = rnd.nextInt(100);
        Req q = line("delete").word(r < 2 ? overlongKey() : k);
        if (r >= 60 && r < 80) {
            q.word("noreply");
        } else if (r >= 80 && r < 88) {
            q.word("0");
        } else if (r >= 88 && r < 92) {
            q.word("0").word("noreply");
        } else if (r >= 92 && r < 95) {
            q.word("1"); // CLIENT_ERROR ... Usage: delete <key> [noreply]
        } else if (r >= 95 && r < 97) {
            q.word("x").word("noreply"); // the same error, silenced
        } else if (r >= 97) {
            q.word("0").word("0").word("0"); // ERROR: too many tokens
        }
        return Command.of(q.end());
    }

    /**
     * An incr or decr, unless the key may hold a number of 2^63 or more: then a set that puts a
     * small number there. memcached 1.6.18 checks such a number for a minus sign with strchr,
     * which runs past the unterminated value into whatever memory follows it (pointers that
     * differ from process to process), and so answers "non-numeric value" at random. An incr that
     * could reach 2^63 is left out for the same reason (seen: an incr by 2^63 over UDP that the
     * reference did not apply).
     */
    private Command arithmetic(String name) {
        byte[] k = rnd.nextInt(100) < 60 ? pick(counters) : key();
        BigInteger bound = bounds.getOrDefault(ByteBuffer.wrap(k), BigInteger.ZERO);
        if (bound.compareTo(HUGE) >= 0) {
            byte[] small = RequestModel.ascii(Integer.toString(rnd.nextInt(1000)));
            stored(k, small, true);
            return Command.of(withValue(line("set").word(k).word("0").word("0").word(""), small));
        }
        String delta = delta();
        Long parsed = RequestModel.safeStrtoull(RequestModel.ascii(delta));
        if (name.equals("incr") && parsed != null
                && bound.add(new BigInteger(Long.toUnsignedString(parsed))).compareTo(HUGE) >= 0) {
            delta = Integer.toString(rnd.nextInt(1000));
        }
        Req r = line(name).word(rnd.nextInt(100) < 2 ? overlongKey() : k).word(delta);
        if (rnd.nextInt(100) < 15) {
            r.word("noreply");
        }
        Long d = RequestModel.safeStrtoull(RequestModel.ascii(delta));
        if (name.equals("incr") && d != null) {
            bounds.put(ByteBuffer.wrap(k), bound.add(new BigInteger(Long.toUnsignedString(d))));
        }
        return Command.of(r.end());
    }

    /**
     * Records a store of {@code v} under {@code k}: the bound becomes the number {@code v} reads
     * as (0 if none) after a set, which always stores; after an add, replace or cas, which may
     * not, it can only grow.
     */
    private void stored(byte[] k, byte[] v, boolean certain) {
        // memcached's strtoull skips a value of only white space and reads on past its end, into
        // whatever item follows: treat it like a huge number, which arithmetic() steers clear of
        BigInteger n = isBlank(v) ? HUGE : numberIn(v);
        bounds.merge(ByteBuffer.wrap(k), n, certain ? (old, now) -> now : BigInteger::max);
    }

    private static boolean isBlank(byte[] v) {
        if (v.length == 0) {
            return false;
        }
        for (byte b : v) {
            if (!(b == ' ' || b >= '\t' && b <= '\r')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The number memcached's incr would read from a value, as far as this bound goes: 0 when it
     * reads none, or a minus sign comes first (a sure "non-numeric", found before the value ends).
     */
    private static BigInteger numberIn(byte[] v) {
        int i = 0;
        while (i < v.length && (v[i] == ' ' || v[i] >= '\t' && v[i] <= '\r')) {
            i++;
        }
        if (i < v.length && v[i] == '-') {
            return BigInteger.ZERO;
        }
        if (i < v.length && v[i] == '+') {
            i++;
        }
        int start = i;
        while (i < v.length && v[i] >= '0' && v[i] <= '9') {
            i++;
        }
        return i == start ? BigInteger.ZERO : new BigInteger(new String(v, start, i - start, StandardCharsets.US_ASCII));
    }

    /** Digits appended may extend the number: by at most as many places as were appended. */
    private void appended(byte[] k, byte[] v) {
        for (byte b : v) {
            if (b >= '0' && b <= '9') {
                bounds.merge(ByteBuffer.wrap(k), BigInteger.ZERO,
                        (old, zero) -> old.add(BigInteger.ONE).multiply(BigInteger.TEN.pow(v.length)));
                return;
            }
        }
    }

    /** A number prepended runs on into the old value's digits, unless something ends it first. */
    private void prepended(byte[] k, byte[] v) {
        int i = 0;
        while (i < v.length && (v[i] == ' ' || v[i] >= '\t' && v[i] <= '\r' || v[i] == '+')) {
            i++;
        }
        while (i < v.length && v[i] >= '0' && v[i] <= '9') {
            i++;
        }
        if (i == v.length) {
            bounds.put(ByteBuffer.wrap(k), HUGE);
        } else {
            stored(k, v, false);
        }
    }

    private Command touch() {
        Req r = line("touch").word(key()).word(exptime());
        if (rnd.nextInt(100) < 20) {
            r.word("noreply");
        }
        return Command.of(r.end());
    }

    private Command verbosity() {
        Req r = line("verbosity").word(rnd.nextBoolean() ? "0" : "1");
        if (rnd.nextInt(4) == 0) {
            r.word("noreply");
        }
        return Command.of(r.end());
    }

    /**
     * A flush_all, with a delay or an absolute time in the past only until the first immediate
     * one. memcached's immediate flush only marks the items; a later flush with a delay (or a past
     * time, which sets nothing to flush) lifts the mark, and the items not read in between come
     * back. That is memcached's bug, not a behaviour to hold a reimplementation to.
     */
    private Command flushAll() {
        String[] invalid = {"flush_all abc\r\n", "flush_all abc noreply\r\n", "flush_all 1 2 3\r\n"};
        if (!flushedAtOnce && rnd.nextBoolean()) {
            return Command.of(pick("flush_all 3600\r\n", "flush_all 86400 noreply\r\n", "flush_all 1000000000\r\n"));
        }
        if (rnd.nextInt(4) == 0) {
            return Command.of(pick(invalid));
        }
        flushedAtOnce = true;
        return Command.of(pick("flush_all\r\n", "flush_all 0\r\n", "flush_all -1\r\n", "flush_all noreply\r\n",
                "flush_all 0 noreply\r\n"));
    }

    // ---- malformed input

    private Command malformed() {
        byte[] k = key();
        return switch (rnd.nextInt(17)) {
            case 0 -> Command.of(line(pick(UNKNOWN)).word(k).end());
            case 1 -> Command.of(pick("\r\n", "\n", "   \r\n", " \n", "\r\r\n"));
            case 2 -> Command.of(pick("get\r\n", "gets  \r\n", "gat\r\n", "gat 10\r\n", "gats 0\r\n", "set\r\n",
                    "incr\r\n", "decr x\r\n", "touch x\r\n", "delete\r\n", "verbosity\r\n", "bget\r\n"));
            case 3 -> Command.of(concat(line(pick("set", "add", "cas", "append")).word(k).word("0").end(), data(3)));
            case 4 -> Command.of(concat(line("set").word(k).word("0").word("0").word("1").word("noreply").word("x").end(), data(1)));
            case 5 -> Command.of(line(pick("incr", "decr", "touch")).word(k).word("1").word(pick("2 3", "noreply x")).end());
            case 6 -> Command.of(pick("verbosity 1 2 3\r\n", "verbosity abc\r\n", "verbosity noreply\r\n", "verbosity 1 x\r\n"));
            case 7 -> manyTokens(k);
            case 8 -> badNumber(k);
            case 9 -> Command.of(line(pick("incr", "decr")).word(k)
                    .word(pick("-1", "abc", "18446744073709551616", "1.5", "0x10", "1e3", "-18446744073709551615", "5\t")).end());
            case 10 -> rnd.nextBoolean()
                    ? Command.of(line("touch").word(k).word(pick("abc", "1x", "99999999999999999999")).end())
                    : Command.of(line(pick("gat", "gats")).word(pick("abc", "1x", "99999999999999999999")).word(k).end());
            case 11, 12 -> badDataChunk(k);
            case 13 -> Command.of(concat(line(pick("set", "add", "replace", "append", "prepend")).word(overlongKey())
                    .word("0").word("0").word("1").end(), data(1)));
            case 14 -> Command.of(line(pick("touch", "incr", "decr")).word(overlongKey()).word("1").end());
            // Everything after a NUL is ignored: memcached handles the line as a C string.
            case 15 -> Command.of(concat(line("get").word(k).raw(new byte[] {0}).raw(RequestModel.ascii(" junk")).end()));
            default -> Command.of(concat(line("cas").word(k).word("0").word("0").word("1").word(pick("abc", "-1", "1x")).end(), data(1)));
        };
    }

    private Command manyTokens(byte[] k) {
        Req r = line("set").word(k).word("0").word("0").word("1");
        for (int i = 0; i < 26; i++) {
            r.word("t" + i);
        }
        return Command.of(concat(r.end(), data(1)));
    }

    /** A storage line with a number memcached refuses; its data block is then read as a command. */
    private Command badNumber(byte[] k) {
        String bad = pick("abc", "-1", "1x", "", "1.0", "18446744073709551616");
        String[] fields = {"0", "0", "1"};
        int at = rnd.nextInt(3);
        fields[at] = bad.isEmpty() ? "abc" : bad;
        if (at == 2 && rnd.nextBoolean()) {
            fields[2] = pick("2147483646", "2147483647", "-2147483648");
        }
        Req r = line(pick("set", "add", "replace", "append", "prepend")).word(k).word(fields[0]).word(fields[1]).word(fields[2]);
        if (rnd.nextInt(3) == 0) {
            r.word("noreply"); // silences the error, not the data line's own ERROR
        }
        return Command.of(concat(r.end(), data(1 + rnd.nextInt(5))));
    }

    /** A data block of the wrong length or wrongly terminated, always ending on a line boundary. */
    private Command badDataChunk(byte[] k) {
        int n = 1 + rnd.nextInt(20);
        Req r = line(pick("set", "add", "replace", "append", "prepend")).word(k).word("0").word("0").word(Integer.toString(n));
        if (rnd.nextInt(4) == 0) {
            r.word("noreply");
        }
        byte[] head = r.end();
        byte[] body = switch (rnd.nextInt(4)) {
            case 0 -> concat(letters(n + 1 + rnd.nextInt(3)), crlf()); // too long: the tail becomes a line
            case 1 -> concat(letters(n - 1 < 0 ? 0 : n - 1), crlf(), letters(1), crlf()); // too short: eats into the next line
            case 2 -> concat(letters(n), RequestModel.ascii(pick("XY", "\n\r", "\r\r", "  "))); // right length, wrong end
            default -> concat(letters(n), RequestModel.ascii("\n\r\n")); // bare \n: only \r\n ends a data block
        };
        return Command.of(concat(head, body));
    }

    // ---- numbers and values

    private record Flags(String text, long value) {}

    private Flags flags() {
        int r = rnd.nextInt(100);
        if (r < 60) {
            return new Flags("0", 0);
        }
        if (r < 85) {
            long v = 1 + rnd.nextInt(65535);
            return new Flags(Long.toString(v), v);
        }
        if (r < 90) {
            return new Flags("4294967295", 4294967295L);
        }
        if (r < 95) {
            long v = rnd.nextInt() & 0xffffffffL;
            return new Flags(Long.toString(v), v);
        }
        if (r < 98) {
            long low = rnd.nextInt(3);
            return new Flags(Long.toString((1L << 32) + low), low); // memcached keeps the low 32 bits
        }
        return pick(new Flags("+7", 7), new Flags("007", 7), new Flags("-0", 0));
    }

    private String exptime() {
        int r = rnd.nextInt(100);
        if (r < 70) {
            return "0";
        }
        if (r < 78) {
            return Integer.toString(1000 + rnd.nextInt(100_000));
        }
        if (r < 80) {
            return "2592000"; // the longest relative exptime
        }
        if (r < 85) {
            return rnd.nextBoolean() ? "-1" : Integer.toString(-1 - rnd.nextInt(1_000_000));
        }
        if (r < 90) {
            return Long.toString(unixNow + 86_400 + rnd.nextInt(10_000_000));
        }
        if (r < 95) {
            return pick("2592001", "1000000000", Long.toString(unixNow - 3600 - rnd.nextInt(1_000_000)));
        }
        // Read as 32 bits: 4294967296 is 0 (never expires), 2147483648 is negative (expired),
        // -2147483649 is 2147483647 (January 2038), 4294968296 is 1000 s.
        return pick("4294967296", "2147483648", "-2147483649", "4294968296", "+5000", "0005000");
    }

    private String length(int n) {
        int r = rnd.nextInt(200);
        if (r == 0) {
            return "0" + n;
        }
        if (r == 1) {
            return "+" + n;
        }
        if (r == 2) {
            return Long.toString((1L << 32) + n); // read as 32 bits
        }
        return Integer.toString(n);
    }

    private String delta() {
        int r = rnd.nextInt(100);
        if (r < 60) {
            return Integer.toString(rnd.nextInt(100));
        }
        if (r < 66) {
            return "18446744073709551615";
        }
        if (r < 70) {
            return "9223372036854775808";
        }
        if (r < 82) {
            return Long.toUnsignedString(rnd.nextLong());
        }
        if (r < 90) {
            return pick("+5", "-0", "007", "0", "-18446744073709551615");
        }
        return Long.toString(1_000_000_000L + rnd.nextInt(1_000_000_000));
    }

    private byte[] value(byte[] key, long flags) {
        int r = rnd.nextInt(100);
        if (isBig(key)) {
            int limit = itemSizeMax - 59 - key.length - (flags != 0 ? 4 : 0);
            if (r < 30) {
                return bigValue(10_000 + rnd.nextInt(30_000));
            }
            if (r < 40) {
                return bigValue(limit); // the largest value memcached stores
            }
            if (r < 50) {
                return bigValue(limit + 1);
            }
            if (r < 55) {
                return bigValue(limit - 1);
            }
            if (r < 60 && transport == Transport.TCP) {
                return bigValue(itemSizeMax + 1 + rnd.nextInt(2000));
            }
            return letters(rnd.nextInt(64)); // never a number: see bigValue
        }
        if (counters.contains(key) && r < 80) {
            return RequestModel.ascii(number());
        }
        if (r < 5) {
            return new byte[0];
        }
        if (r < 10) {
            return letters(1);
        }
        if (r < 55) {
            return text(2 + rnd.nextInt(63));
        }
        if (r < 70) {
            return text(65 + rnd.nextInt(1936));
        }
        if (r < 88) {
            return RequestModel.ascii(number());
        }
        byte[] b = new byte[2 + rnd.nextInt(100)];
        rnd.nextBytes(b);
        return b;
    }

    /** Appends grow values, so they stay small except on the big keys, where they cross the limit. */
    private byte[] appendValue(byte[] key) {
        if (isBig(key)) {
            return rnd.nextInt(3) == 0 ? bigValue(1000 + rnd.nextInt(20_000)) : letters(rnd.nextInt(20));
        }
        return rnd.nextInt(4) == 0 ? RequestModel.ascii(number()) : text(rnd.nextInt(20));
    }

    /** A counter's text: plain decimals mostly, and the forms memcached's strtoull reads oddly. */
    private String number() {
        if (rnd.nextInt(100) < 70) {
            return switch (rnd.nextInt(5)) {
                case 0 -> "0";
                case 1 -> Integer.toString(rnd.nextInt(1000));
                case 2 -> Long.toUnsignedString(rnd.nextLong());
                case 3 -> pick("18446744073709551615", "18446744073709551614", "9223372036854775807", "9223372036854775808");
                default -> Long.toString(rnd.nextInt(100_000_000));
            };
        }
        return pick("000123", " 12", "12 ", "1 2", "+5", "-0", "-5", "12abc", "abc", "99999999999999999999", "\t7",
                "0000000000000000000000000042", "7\r\n8", "");
    }

    /** Printable text, sometimes with a CRLF inside that must not end the value. */
    private byte[] text(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (0x20 + rnd.nextInt(0x5f));
        }
        if (n >= 2 && rnd.nextInt(10) == 0) {
            int at = rnd.nextInt(n - 1);
            b[at] = '\r';
            b[at + 1] = '\n';
        }
        return b;
    }

    /**
     * Capital letters: malformed commands leave some of them to be read as a command line, and no
     * memcached command starts with a capital (a lowercase "ma" would be a meta command).
     */
    private byte[] letters(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('A' + rnd.nextInt(26));
        }
        return b;
    }

    /**
     * A large value, starting with a letter. memcached refuses incr on a value stored in chunks
     * (here, over half of {@code -I}) even when it reads as a number ("12 " and then anything),
     * a limit that comes from its slab settings. So nothing on the big keys, where values grow
     * that large, ever starts like a number.
     */
    private byte[] bigValue(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + ((b[i] & 0xff) % 26));
        }
        if (n > 0) {
            b[0] = 'v';
        }
        return b;
    }

    private byte[] data(int n) {
        return concat(letters(n), crlf());
    }

    // ---- helpers

    private <T> T pick(List<T> from) {
        return from.get(rnd.nextInt(from.size()));
    }

    @SafeVarargs
    private <T> T pick(T... from) {
        return from[rnd.nextInt(from.length)];
    }

    private static byte[] crlf() {
        return new byte[] {'\r', '\n'};
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    private Req line(String name) {
        return new Req(rnd.nextInt(100)).word(name);
    }

    /**
     * A command line being written. A few lines get the spacing memcached tolerates: leading
     * spaces, doubled separators, a trailing space, or a bare \n for a terminator.
     */
    private static final class Req {
        private final List<byte[]> words = new ArrayList<>();
        private final int style;
        private int hole = -1;
        private int holeAt = -1;

        Req(int style) {
            this.style = style;
        }

        Req word(String w) {
            return word(RequestModel.ascii(w));
        }

        Req word(byte[] w) {
            words.add(w);
            return this;
        }

        /** Leaves the next word, a cas unique, to be filled in per server. */
        Req hole() {
            hole = words.size();
            words.add(new byte[0]);
            return this;
        }

        /** Appends bytes to the last word, for a NUL and what follows it. */
        Req raw(byte[] b) {
            words.set(words.size() - 1, concat(words.get(words.size() - 1), b));
            return this;
        }

        boolean blank(int i) {
            return words.get(i).length == 0 && i != hole;
        }

        void set(int i, String w) {
            words.set(i, RequestModel.ascii(w));
        }

        /** Where the cas hole is in the bytes {@link #end} last returned, or -1. */
        int holeAt() {
            return holeAt;
        }

        byte[] end() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (style == 3) {
                out.writeBytes(RequestModel.ascii("  "));
            }
            for (int i = 0; i < words.size(); i++) {
                if (i > 0) {
                    out.writeBytes(RequestModel.ascii(style == 0 ? "  " : " "));
                }
                if (i == hole) {
                    holeAt = out.size();
                }
                out.writeBytes(words.get(i));
            }
            if (style == 2) {
                out.writeBytes(RequestModel.ascii(" "));
            }
            out.writeBytes(RequestModel.ascii(style == 1 ? "\n" : "\r\n"));
            return out.toByteArray();
        }
    }
}
