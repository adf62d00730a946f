package dev.ffkx.redis.diff;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A seeded random run of Redis commands over every command ffkx serves (issue 5's list), right
 * and wrong: valid and invalid option combinations, scores in every spelling, type clashes,
 * unknown commands, wrong arities, inline commands, and malformed RESP.
 *
 * <p>Keys, members and values come from small pools so that commands meet each other's data,
 * strings and sorted sets share keys so that types clash, and keys, members and values carry
 * binary bytes and CRLF. The same seed gives the same run.
 *
 * <p>What it avoids, because two correct servers would answer it differently: expiry times
 * short enough to pass during a run (every EX is at least 100 s, every PX at least 100 s; zero
 * and negative ones delete at once, which is deterministic), and SELECT of any database but 0.
 */
public final class CommandGenerator {
    private static final byte[][] STRING_KEYS = bytes("k0", "k1", "k2", "k3", "k\r\n\0\u00ff", "");
    private static final byte[][] ZSET_KEYS = bytes("z0", "z1", "z2");
    private static final String[] NUMBERS = {"0", "1", "-1", "42", "100", "9223372036854775807", "-9223372036854775808",
        "9223372036854775806", "-9223372036854775807", "9223372036854775808", "12abc", " 1", "1.5", "", "+1", "007",
        "1e3", "-0"};
    private static final String[] SCORES = {"0", "1", "-1", "2", "1.5", "-2.25", "10", "1e3", "1E-2", "+inf", "-inf",
        "inf", "-Inf", "+INF", "nan", "abc", "1.0.0", "", "0x10", " 1", "3.14159265358979", "1e400", "-0", "(1",
        "1.7976931348623157e308", "5e-324", "100000000000000000000"};
    private static final String[] RANGE_SCORES = {"-inf", "+inf", "0", "1", "(1", "1.5", "(1.5", "-1", "10", "(10",
        "abc", "((1", "inf", "-2.25"};
    private static final String[] INDEXES = {"0", "1", "2", "-1", "-2", "5", "100", "-100", "a", "9223372036854775807"};
    private static final String[] EX_SECONDS = {"100", "1000", "86400", "0", "-5", "abc", "9223372036854775807",
        "1.5"};
    /** Above every other expiry the generator sends (see {@link #expiry}). */
    private static final long GT_SECONDS = 1_000_000;
    private static final String[] PX_MILLIS = {"100000", "5000000", "0", "-1", "x", "9223372036854775807"};

    /** The commands the tally names; anything else is "(unknown)". */
    private static final Set<String> KNOWN = Set.of("PING", "ECHO", "GET", "SET", "DEL", "EXISTS",
        "INCR", "DECR", "INCRBY", "DECRBY", "MGET", "SETNX", "SETEX", "PSETEX", "GETSET", "UNLINK", "TYPE",
        "STRLEN", "ZADD", "ZINCRBY", "ZSCORE", "ZCARD", "ZRANK", "ZREM",
        "ZRANGE", "ZREVRANGE", "ZRANGEBYSCORE", "TTL", "PTTL", "EXPIRE", "PERSIST", "DBSIZE", "SELECT",
        "CONFIG", "HELLO", "CLIENT", "INFO", "COMMAND", "FLUSHDB", "FLUSHALL", "QUIT");

    private final Random rnd;
    /** GT expiries sent so far. */
    private long gtCount;
    private final boolean resp3;
    private final List<Weighted> table = new ArrayList<>();
    private int total;

    private record Weighted(int weight, Supplier<Command> make) {}

    /** A run that switches some connections to RESP3 (HELLO 3), as Redis 7 does when asked. */
    public CommandGenerator(long seed) {
        this(seed, true);
    }

    /**
     * @param resp3 whether HELLO 3 is sent; issue 5 has ffkx decline RESP3 (-NOPROTO), so a run
     *     against it leaves HELLO 3 out, and everything else in
     */
    public CommandGenerator(long seed, boolean resp3) {
        this.rnd = new Random(seed);
        this.resp3 = resp3;
        add(30, this::get);
        add(30, this::set);
        add(8, this::del);
        add(6, this::exists);
        add(12, this::incrDecr);
        add(8, this::mget);
        add(12, this::stringExtras);
        add(30, this::zadd);
        add(8, this::zincrby);
        add(10, this::zscore);
        add(6, this::zcard);
        add(8, this::zrank);
        add(8, this::zrem);
        add(12, this::zrangeByIndex);
        add(8, this::zrangeByScore);
        add(4, this::zrevrange);
        add(5, this::zrangebyscore);
        add(10, this::expiry);
        add(4, this::ping);
        add(4, this::echo);
        add(6, this::admin);
        add(3, this::unknown);
        add(1, this::empty);
        add(1, this::closing);
    }

    private void add(int weight, Supplier<Command> make) {
        table.add(new Weighted(weight, make));
        total += weight;
    }

    public Command next() {
        int r = rnd.nextInt(total);
        for (Weighted w : table) {
            r -= w.weight();
            if (r < 0) {
                return w.make().get();
            }
        }
        throw new AssertionError();
    }

    // --- strings ---

    private Command get() {
        return switch (rnd.nextInt(20)) {
            case 0 -> request("GET");
            case 1 -> request("GET", key(false), key(false));
            default -> request("GET", key(false));
        };
    }

    private Command set() {
        List<Object> args = new ArrayList<>(List.of("SET", key(false), value()));
        int options = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(rnd.nextInt(8) == 0 ? 4 : 2) + 1;
        for (int i = 0; i < options; i++) {
            switch (rnd.nextInt(7)) {
                case 0 -> args.add(caseOf("NX"));
                case 1 -> args.add(caseOf("XX"));
                case 2 -> args.add(caseOf("GET"));
                case 3 -> args.add(caseOf("KEEPTTL"));
                case 4 -> {
                    args.add(caseOf("EX"));
                    if (rnd.nextInt(30) != 0) {
                        args.add(pick(EX_SECONDS));
                    }
                }
                case 5 -> {
                    args.add(caseOf("PX"));
                    args.add(pick(PX_MILLIS));
                }
                default -> args.add(pick("NXX", "EXAT", "1"));
            }
        }
        if (rnd.nextInt(40) == 0) {
            args.remove(2); // SET key: wrong arity
        }
        return request(args.toArray());
    }

    private Command del() {
        return rnd.nextInt(25) == 0 ? request("DEL") : request(withKeys("DEL", 1 + rnd.nextInt(4), rnd.nextInt(3) == 0));
    }

    private Command exists() {
        return rnd.nextInt(25) == 0 ? request("EXISTS") : request(withKeys("EXISTS", 1 + rnd.nextInt(4), false));
    }

    private Command mget() {
        return rnd.nextInt(25) == 0 ? request("MGET") : request(withKeys("MGET", 1 + rnd.nextInt(6), false));
    }

    /** The string commands the slow path builds on SET, DEL and the entry lookup. */
    private Command stringExtras() {
        byte[] key = key(rnd.nextInt(4) == 0);
        return switch (rnd.nextInt(9)) {
            case 0 -> request("SETNX", key, value());
            case 1 -> request("SETEX", key, pick(EX_SECONDS), value());
            case 2 -> request("PSETEX", key, pick(PX_MILLIS), value());
            case 3 -> request("GETSET", key, value());
            case 4 -> request(withKeys("UNLINK", 1 + rnd.nextInt(3), rnd.nextInt(3) == 0));
            case 5, 6 -> request("TYPE", key);
            case 7 -> request("STRLEN", key);
            default -> request(pick("SETNX", "SETEX", "PSETEX", "GETSET", "UNLINK", "TYPE", "STRLEN"), key);
        };
    }

    private Command incrDecr() {
        if (rnd.nextInt(4) == 0) {
            // A number to count from (or a value that is not one), overflow close by.
            return request("SET", key(false), pick(NUMBERS));
        }
        return switch (rnd.nextInt(6)) {
            case 0 -> request(pick("INCR", "DECR"), key(false));
            case 1 -> request(pick("INCRBY", "DECRBY"), key(false), pick(NUMBERS));
            case 2 -> request(pick("INCRBY", "DECRBY"), key(false), Integer.toString(rnd.nextInt(2001) - 1000));
            case 3 -> request(pick("INCR", "DECR", "INCRBY", "DECRBY"));
            case 4 -> request(pick("INCR", "DECR"), key(false), "1");
            default -> request(pick("INCR", "DECR"), key(false));
        };
    }

    // --- sorted sets ---

    private Command zadd() {
        List<Object> args = new ArrayList<>(List.of("ZADD", key(true)));
        if (rnd.nextBoolean()) {
            int options = 1 + rnd.nextInt(rnd.nextInt(5) == 0 ? 3 : 1);
            for (int i = 0; i < options; i++) {
                args.add(caseOf(pick("NX", "XX", "GT", "LT", "CH", "INCR")));
            }
        }
        int pairs = rnd.nextInt(6) == 0 ? 2 + rnd.nextInt(4) : 1;
        for (int i = 0; i < pairs; i++) {
            args.add(score());
            args.add(member());
        }
        switch (rnd.nextInt(40)) {
            case 0 -> args.remove(args.size() - 1); // an odd score/member list
            case 1 -> args.subList(2, args.size()).clear(); // ZADD key
            default -> { }
        }
        return request(args.toArray());
    }

    private Command zincrby() {
        return rnd.nextInt(25) == 0 ? request("ZINCRBY", key(true), score())
                : request("ZINCRBY", key(true), score(), member());
    }

    private Command zscore() {
        return rnd.nextInt(25) == 0 ? request("ZSCORE", key(true)) : request("ZSCORE", key(true), member());
    }

    private Command zcard() {
        return rnd.nextInt(25) == 0 ? request("ZCARD", key(true), key(true)) : request("ZCARD", key(true));
    }

    private Command zrank() {
        return switch (rnd.nextInt(20)) {
            case 0 -> request("ZRANK", key(true));
            case 1 -> request("ZRANK", key(true), member(), "WITHSCORE");
            default -> request("ZRANK", key(true), member());
        };
    }

    private Command zrem() {
        List<Object> args = new ArrayList<>(List.of("ZREM", key(true)));
        int n = rnd.nextInt(20) == 0 ? 0 : 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            args.add(member());
        }
        return request(args.toArray());
    }

    private Command zrangeByIndex() {
        List<Object> args = new ArrayList<>(List.of("ZRANGE", key(true), index(), index()));
        if (rnd.nextBoolean()) {
            args.add(caseOf("WITHSCORES"));
        }
        if (rnd.nextInt(20) == 0) {
            args.add(pick("LIMIT", "REV", "BYLEX"));
        }
        if (rnd.nextInt(30) == 0) {
            args.remove(3);
        }
        return request(args.toArray());
    }

    private Command zrangeByScore() {
        List<Object> args = new ArrayList<>(List.of("ZRANGE", key(true), pick(RANGE_SCORES), pick(RANGE_SCORES),
                caseOf("BYSCORE")));
        if (rnd.nextBoolean()) {
            args.add(caseOf("REV"));
        }
        if (rnd.nextBoolean()) {
            args.addAll(List.of("LIMIT", index(), pick("1", "2", "-1", "0", "10", "x")));
        }
        if (rnd.nextBoolean()) {
            args.add(caseOf("WITHSCORES"));
        }
        if (rnd.nextInt(10) == 0) {
            args.remove(4); // LIMIT and REV without BYSCORE
        }
        return request(args.toArray());
    }

    private Command zrevrange() {
        List<Object> args = new ArrayList<>(List.of("ZREVRANGE", key(true), index(), index()));
        if (rnd.nextBoolean()) {
            args.add(caseOf("WITHSCORES"));
        }
        if (rnd.nextInt(20) == 0) {
            args.add("LIMIT");
        }
        return request(args.toArray());
    }

    private Command zrangebyscore() {
        List<Object> args = new ArrayList<>(List.of("ZRANGEBYSCORE", key(true), pick(RANGE_SCORES), pick(RANGE_SCORES)));
        if (rnd.nextBoolean()) {
            args.add(caseOf("WITHSCORES"));
        }
        if (rnd.nextInt(3) == 0) {
            args.addAll(List.of("LIMIT", index(), pick("1", "3", "-1", "0")));
        }
        if (rnd.nextInt(20) == 0) {
            args.remove(args.size() - 1);
        }
        return request(args.toArray());
    }

    // --- expiry ---

    private Command expiry() {
        byte[] key = key(rnd.nextInt(4) == 0);
        return switch (rnd.nextInt(9)) {
            case 0, 1 -> request("TTL", key).checked(Command.Check.TTL);
            case 2, 3 -> request("PTTL", key).checked(Command.Check.PTTL);
            case 4, 5 -> request("EXPIRE", key, pick(EX_SECONDS));
            case 6 -> {
                String seconds = pick("100", "1000"), option = pick("NX", "XX", "GT", "LT", "YY");
                // GT against a TTL set with the same seconds succeeds only if a millisecond passed
                // in between, which differs between two servers: GT's values only ever grow
                yield request("EXPIRE", key, option.equals("GT") ? Long.toString(GT_SECONDS + gtCount++) : seconds,
                        option);
            }
            case 7 -> request("PERSIST", key);
            default -> request(pick("TTL", "PTTL", "EXPIRE", "PERSIST"));
        };
    }

    // --- connection and server ---

    private Command ping() {
        return switch (rnd.nextInt(4)) {
            case 0 -> request("PING", value());
            case 1 -> request("PING", "a", "b");
            default -> request("PING");
        };
    }

    private Command echo() {
        return switch (rnd.nextInt(8)) {
            case 0 -> request("ECHO");
            case 1 -> request("ECHO", "a", "b");
            default -> request("ECHO", value());
        };
    }

    private Command admin() {
        return switch (rnd.nextInt(24)) {
            case 0, 1 -> request("DBSIZE");
            case 2 -> request("DBSIZE", "x");
            case 3, 4 -> request("SELECT", "0");
            case 5 -> request("SELECT");
            case 6, 7 -> request("CONFIG", "GET", pick("save", "appendonly", "SAVE"));
            case 8 -> request("HELLO").checked(Command.Check.HELLO);
            case 9, 10 -> request("HELLO", "2").checked(Command.Check.HELLO);
            case 11 -> resp3 ? request("HELLO", "3").checked(Command.Check.HELLO) : request("HELLO", "2", "SETNAME", "c3")
                    .checked(Command.Check.HELLO);
            case 12 -> request("HELLO", pick("4", "abc", "1")).checked(Command.Check.HELLO);
            case 13, 14 -> request("CLIENT", "SETNAME", pick("rdiff", "a-b", "a b", ""));
            case 15 -> request("CLIENT", "SETINFO", pick("lib-name", "lib-ver"), "rdiff");
            case 16 -> request("INFO").checked(Command.Check.INFO);
            case 17 -> rnd.nextInt(8) == 0 ? request("COMMAND").checked(Command.Check.COMMAND_TABLE)
                    : request("COMMAND", "COUNT").checked(Command.Check.COMMAND_COUNT);
            case 18 -> request("COMMAND", "DOCS", pick("get", "zadd", "set"), pick("zrange", "nosuch"))
                    .checked(Command.Check.COMMAND_DOCS);
            case 19 -> rnd.nextInt(3) == 0 ? request(rnd.nextBoolean() ? "FLUSHDB" : "FLUSHALL") : request("DBSIZE");
            default -> request("CONFIG", "GET", "appendonly");
        };
    }

    private Command unknown() {
        return switch (rnd.nextInt(4)) {
            case 0 -> request("NOSUCHCOMMAND");
            case 1 -> request("GETT", key(false), value());
            case 2 -> request(new byte[] {'x', '\r', '\n', 0, (byte) 0xfe}, "a b");
            default -> request(pick("ZADDD", "SETX", "foo"), key(true), "1", "2", "3", "4", "5");
        };
    }

    /** Requests Redis reads and answers with nothing at all. */
    private Command empty() {
        return new Command("(empty)", Resp.ascii(pick("*0\r\n", "*-1\r\n", "\r\n", "  \r\n")), 0, false,
                Command.Check.EXACT);
    }

    /** QUIT, or malformed RESP: Redis answers, then closes the connection. */
    private Command closing() {
        if (rnd.nextInt(4) == 0) {
            return request("QUIT").closing();
        }
        String bad = pick("*abc\r\n", "*1\r\nfoo\r\n", "*1\r\n$abc\r\n", "set \"a\r\n", "*1\r\n$-5\r\n",
                "*2\r\n$3\r\nGET\r\n:1\r\n", "get 'k\r\n", "*3000000000\r\n");
        return new Command("(malformed)", Resp.ascii(bad), 1, true, Command.Check.EXACT);
    }

    // --- pieces ---

    private byte[] key(boolean zset) {
        boolean clash = rnd.nextInt(8) == 0;
        return zset != clash ? ZSET_KEYS[rnd.nextInt(ZSET_KEYS.length)] : STRING_KEYS[rnd.nextInt(STRING_KEYS.length)];
    }

    private byte[][] withKeys(String name, int n, boolean zsets) {
        byte[][] args = new byte[n + 1][];
        args[0] = Resp.ascii(name);
        for (int i = 1; i <= n; i++) {
            args[i] = key(zsets && rnd.nextBoolean());
        }
        return args;
    }

    private byte[] value() {
        int r = rnd.nextInt(50);
        if (r == 0) {
            return filled(1000 + rnd.nextInt(20_000));
        }
        if (r < 8) {
            byte[] b = new byte[1 + rnd.nextInt(40)];
            rnd.nextBytes(b);
            if (b.length > 3) {
                b[rnd.nextInt(b.length - 1)] = '\r';
                b[rnd.nextInt(b.length - 1) + 1] = '\n';
            }
            return b;
        }
        if (r < 16) {
            return Resp.ascii(pick(NUMBERS));
        }
        return Resp.ascii(pick("v", "hello", "a b", "x\r\ny", "value-" + rnd.nextInt(100)));
    }

    private byte[] filled(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + (i * 7 + n) % 26);
        }
        return b;
    }

    private byte[] member() {
        return rnd.nextInt(8) == 0 ? Resp.ascii(pick("m\r\n\0x", "", "ele:rand:1", "\u00ff"))
                : Resp.ascii("m" + rnd.nextInt(10));
    }

    private String score() {
        return rnd.nextInt(3) == 0 ? Integer.toString(rnd.nextInt(41) - 20) : pick(SCORES);
    }

    private String index() {
        return rnd.nextInt(3) == 0 ? Integer.toString(rnd.nextInt(11) - 5) : pick(INDEXES);
    }

    private String caseOf(String word) {
        return switch (rnd.nextInt(6)) {
            case 0 -> word.toLowerCase();
            case 1 -> word.charAt(0) + word.substring(1).toLowerCase();
            default -> word;
        };
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[rnd.nextInt(options.length)];
    }

    /**
     * A request of these arguments (String or byte[]): a multibulk, or one in eight times an
     * inline command when every argument can be written inline (no space, quote or control
     * byte), with the command's name in random case.
     */
    private Command request(Object... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i] instanceof byte[] bytes ? bytes : Resp.ascii((String) args[i]);
        }
        String name = new String(b[0], ISO_8859_1).toUpperCase();
        if ((name.equals("CONFIG") || name.equals("COMMAND") || name.equals("CLIENT")) && b.length > 1) {
            name += " " + new String(b[1], ISO_8859_1).toUpperCase();
        }
        if (!KNOWN.contains(name.split(" ")[0])) {
            name = "(unknown)";
        }
        b[0] = Resp.ascii(caseOf(new String(b[0], ISO_8859_1)));
        if (rnd.nextInt(8) == 0 && inlineSafe(b)) {
            return Command.of(name, inline(b));
        }
        return Command.of(name, Resp.command(b));
    }

    private static boolean inlineSafe(byte[][] args) {
        for (byte[] a : args) {
            if (a.length == 0) {
                return false;
            }
            for (byte c : a) {
                if (c <= ' ' || c >= 0x7f || c == '"' || c == '\'') {
                    return false;
                }
            }
        }
        return true;
    }

    private byte[] inline(byte[][] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < args.length; i++) {
            if (i > 0) {
                out.writeBytes(Resp.ascii(rnd.nextInt(6) == 0 ? "   " : " "));
            }
            out.writeBytes(args[i]);
        }
        out.writeBytes(Resp.ascii(rnd.nextInt(6) == 0 ? "\n" : "\r\n"));
        return out.toByteArray();
    }

    private static byte[][] bytes(String... s) {
        byte[][] b = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            b[i] = Resp.ascii(s[i]);
        }
        return b;
    }
}
