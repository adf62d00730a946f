package dev.ffkx.redis;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What the kernel passed up, answered as Redis 7.0 answers it: command lookup and arity with
 * Redis' errors, the server commands that live here (HELLO, COMMAND, CONFIG GET, INFO, SELECT,
 * FLUSHALL, CLIENT, QUIT), and every data command run through the same kernel engine on the same
 * heap. Shared by all connections; called on the server's event thread.
 */
final class RedisSlowPath {
    private static final String VERSION = "7.0.15";
    /** The commands the kernel engine runs (rd_engine.h); the others are answered here. */
    private static final Set<String> KERNEL = Set.of("ping", "echo", "get", "set", "del", "exists", "incr", "decr",
            "incrby", "decrby", "mget", "ttl", "pttl", "expire", "persist", "dbsize");
    /** Attempts at a command the engine declined for lock contention only. */
    private static final int KERNEL_RETRIES = 100;

    private final RedisKernel kernel;
    private final Map<String, Command> table;
    private final CommandRoute sortedSets;
    private final RequestFramer framer;
    private final int port;
    private final Supplier<String> ffkxInfo;
    private final long maxValue;
    private final long started = System.nanoTime();
    private final AtomicLong clientIds = new AtomicLong();
    final LongAdder commands = new LongAdder();
    final LongAdder kernelRuns = new LongAdder();

    /**
     * {@code sortedSets}: the route of the Z* commands, or null for a strings-only server (they
     * are then unknown commands, as in a Redis without them). {@code maxValue}: the largest string
     * value stored. {@code ffkxInfo}: INFO's ffkx section.
     */
    RedisSlowPath(RedisKernel kernel, CommandRoute sortedSets, long maxBulk, long maxValue, int port,
                  Supplier<String> ffkxInfo) {
        this.maxValue = maxValue;
        this.kernel = kernel;
        this.table = Command.table(sortedSets != null);
        this.sortedSets = sortedSets;
        this.framer = new RequestFramer(maxBulk);
        this.port = port;
        this.ffkxInfo = ffkxInfo;
    }

    RequestFramer framer() {
        return framer;
    }

    long nextClientId() {
        return clientIds.incrementAndGet();
    }

    /** True when argv may run in the kernel as part of a batch: its command, its arity, its buffer. */
    boolean batchable(List<byte[]> argv) {
        String name = Resp.text(argv.get(0)).toLowerCase(Locale.ROOT);
        Command cmd = table.get(name);
        return cmd != null && KERNEL.contains(name) && cmd.arityOk(argv.size());
    }

    /**
     * Commands a session framed together, encoded: as many as the engine runs in one program run,
     * then the rest one by one, so each gets its own answer (or error) in order.
     */
    byte[] executeBatch(RedisSession session, List<List<byte[]>> batch, byte[] encoded) {
        kernelRuns.increment();
        RedisKernel.Batch done = kernel.runAll(encoded);
        commands.add(done.done());
        if (done.done() == batch.size()) {
            return done.replies();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(done.replies());
        for (List<byte[]> argv : batch.subList(done.done(), batch.size())) {
            out.writeBytes(execute(session, argv));
        }
        return out.toByteArray();
    }

    byte[] execute(RedisSession session, List<byte[]> argv) {
        commands.increment();
        String given = Resp.text(argv.get(0));
        String name = given.toLowerCase(Locale.ROOT);
        Command cmd = table.get(name);
        if (cmd == null) {
            return unknownCommand(given, argv);
        }
        if (!cmd.arityOk(argv.size())) {
            return arity(name);
        }
        return switch (name) {
            case "hello" -> hello(session, argv);
            case "command" -> command(argv);
            case "config" -> config(argv);
            case "info" -> info(argv);
            case "select" -> select(argv);
            case "flushall", "flushdb" -> flush(argv);
            case "client" -> client(session, argv);
            case "mset" -> mset(argv);
            case "setnx" -> setnx(argv);
            case "setex", "psetex" -> setex(name, argv);
            case "getset" -> kernelCommand("set", List.of(Resp.ascii("SET"), argv.get(1), argv.get(2), Resp.ascii("GET")));
            case "unlink" -> unlink(argv);
            case "type" -> type(argv.get(1));
            case "strlen" -> strlen(argv.get(1));
            case "quit" -> {
                session.quit();
                yield Resp.OK;
            }
            default -> Command.isSortedSet(name) ? sortedSets.execute(argv, this::sortedSetCall) : kernelCommand(name, argv);
        };
    }

    /**
     * Redis' unknown-command error: the name, then arguments quoted, up to 128 bytes of them. Redis
     * prints them with "%.*s", which stops at a NUL byte.
     */
    private static byte[] unknownCommand(String given, List<byte[]> argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.size() && args.length() < 128; i++) {
            String a = cString(Resp.text(argv.get(i)));
            int room = 128 - args.length();
            args.append('\'').append(a, 0, Math.min(a.length(), room)).append("' ");
        }
        String name = cString(given);
        return Resp.error("ERR unknown command '" + name.substring(0, Math.min(name.length(), 128))
                + "', with args beginning with: " + args);
    }

    /** s up to its first NUL, as C's string functions see it. */
    private static String cString(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    private static byte[] arity(String fullName) {
        return Resp.error("ERR wrong number of arguments for '" + fullName + "' command");
    }

    private static byte[] unknownSubcommand(String given, String container) {
        return Resp.error("ERR unknown subcommand '" + given.substring(0, Math.min(given.length(), 128)) + "'. Try "
                + container + " HELP.");
    }

    /** The kernel engine's answer; null only when it declined (it changed nothing then). */
    private byte[] kernel(List<byte[]> argv) {
        kernelRuns.increment();
        return kernel.run(argv);
    }

    /**
     * One call of the sorted-set slow path into the engine. It declines a command only when a lock
     * or the loop budget gave out (ZsetSlowPath sends what fits): tried again, as Redis would
     * simply have run it.
     */
    private byte[] sortedSetCall(List<byte[]> argv) {
        for (int attempt = 0; attempt < KERNEL_RETRIES; attempt++) {
            kernelRuns.increment();
            byte[] reply = kernel.runSortedSet(argv);
            if (reply != null) {
                return reply;
            }
            byte[] refused = keyTooLong(Resp.text(argv.get(0)).toLowerCase(Locale.ROOT), argv);
            if (refused != null) {
                return refused;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException(Resp.text(argv.get(0)) + ": the kernel engine declined it " + KERNEL_RETRIES
                + " times");
    }

    /** A data command: the engine answers it, or says why it would not, as Redis would. */
    private byte[] kernelCommand(String name, List<byte[]> argv) {
        if (name.equals("ping") && argv.size() > 2) {
            return arity(name);
        }
        if (name.equals("expire")) {
            for (int i = 3; i < argv.size(); i++) {
                String opt = Resp.text(argv.get(i)).toUpperCase(Locale.ROOT);
                if (!List.of("NX", "XX", "GT", "LT").contains(opt)) {
                    return Resp.error("ERR Unsupported option " + Resp.text(argv.get(i)));
                }
            }
        }
        if (Resp.command(argv).length > RedisKernel.TEXT_BUF) {
            return switch (name) {
                case "mget", "exists", "del" -> perKey(name, argv);
                case "set" -> largeSet(argv);
                case "echo", "ping" -> Resp.bulk(argv.get(1)); // touches no key: answered here
                default -> tooLarge(argv);
            };
        }
        for (int attempt = 0; attempt < KERNEL_RETRIES; attempt++) {
            byte[] reply = kernel(argv);
            if (reply != null) {
                return reply;
            }
            byte[] refused = keyTooLong(name, argv);
            if (refused != null) {
                return refused;
            }
            if (name.equals("mget")) {
                return perKey(name, argv); // the values did not fit one reply buffer together
            }
            if (name.equals("get")) {
                return largeGet(argv.get(1)); // the value did not fit the reply buffer
            }
            byte[] set = name.equals("set") ? setGettingLargeValue(argv) : null;
            if (set != null) {
                return set; // SET ... GET of an old value that did not fit the reply buffer
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException(name + ": the kernel engine declined it " + KERNEL_RETRIES + " times");
    }

    /**
     * MGET, EXISTS and DEL over more keys than one engine request holds: key by key, in order,
     * as Redis runs them (not atomically here, which only a concurrent writer could tell).
     */
    private byte[] perKey(String name, List<byte[]> argv) {
        List<byte[]> replies = new ArrayList<>();
        long count = 0;
        for (int i = 1; i < argv.size(); i++) {
            byte[] key = argv.get(i);
            if (name.equals("mget")) {
                byte[] r = kernelCommand("get", List.of(Resp.ascii("GET"), key));
                replies.add(r[0] == '$' ? r : Resp.NIL); // another type reads as nil in MGET
            } else {
                byte[] r = kernelCommand(name, List.of(argv.get(0), key));
                count += Long.parseLong(Resp.text(r).substring(1).trim());
            }
        }
        return name.equals("mget") ? Resp.array(replies) : Resp.integer(count);
    }

    /**
     * MSET as SETs key by key through the engine, in order: not atomic against a concurrent
     * reader on another connection, which is the one way to tell it from Redis' MSET.
     */
    private byte[] mset(List<byte[]> argv) {
        if (argv.size() % 2 == 0) {
            return arity("mset");
        }
        for (int i = 1; i < argv.size(); i += 2) {
            byte[] r = kernelCommand("set", List.of(Resp.ascii("SET"), argv.get(i), argv.get(i + 1)));
            if (r[0] == '-') {
                return r;
            }
        }
        return Resp.OK;
    }

    /** SETNX: SET NX, answered as an integer. */
    private byte[] setnx(List<byte[]> argv) {
        byte[] r = kernelCommand("set", List.of(Resp.ascii("SET"), argv.get(1), argv.get(2), Resp.ascii("NX")));
        if (r[0] == '-') {
            return r;
        }
        return Resp.integer(r[0] == '+' ? 1 : 0);
    }

    /**
     * SETEX and PSETEX: SET with EX or PX once the time passes Redis 7.0's checks, whose error
     * names the command given.
     */
    private byte[] setex(String name, List<byte[]> argv) {
        long time;
        try {
            time = Long.parseLong(Resp.text(argv.get(2)));
        } catch (NumberFormatException e) {
            return Resp.error("ERR value is not an integer or out of range");
        }
        boolean seconds = name.equals("setex");
        if (time <= 0 || (seconds && time > Long.MAX_VALUE / 1000)
                || (seconds ? time * 1000 : time) > Long.MAX_VALUE - System.currentTimeMillis()) {
            return Resp.error("ERR invalid expire time in '" + name + "' command");
        }
        return kernelCommand("set", List.of(Resp.ascii("SET"), argv.get(1), argv.get(3),
                Resp.ascii(seconds ? "EX" : "PX"), argv.get(2)));
    }

    /** UNLINK: DEL, which frees in the same call (a zset's nodes too: the heap has no background reclaim). */
    private byte[] unlink(List<byte[]> argv) {
        List<byte[]> del = new ArrayList<>(argv);
        del.set(0, Resp.ascii("DEL"));
        return kernelCommand("del", del);
    }

    /** TYPE: what the key's live entry holds. */
    private byte[] type(byte[] key) {
        RedisKernel.Pinned p = entry(key);
        return Resp.simple(p == null ? "none" : p.string() ? "string" : "zset");
    }

    /** STRLEN: the value's length, read off its entry without copying the value. */
    private byte[] strlen(byte[] key) {
        RedisKernel.Pinned p = entry(key);
        if (p == null) {
            return Resp.integer(0);
        }
        return p.string() ? Resp.integer(p.nval())
                : Resp.error("WRONGTYPE Operation against a key holding the wrong kind of value");
    }

    /**
     * The key's live entry as it was when looked up (its type and value length; the pin is let go
     * at once), or null when there is none. A key longer than the store takes cannot have one.
     */
    private RedisKernel.Pinned entry(byte[] key) {
        RedisKernel.Pinned p = key.length > RedisKernel.KEY_MAX ? null : kernel.ref(key);
        if (p != null) {
            kernel.unref(p.addr());
        }
        return p;
    }

    /** GET of a value larger than the engine's reply buffer: pinned, copied out of the heap, let go. */
    private byte[] largeGet(byte[] key) {
        RedisKernel.Pinned p = kernel.ref(key);
        if (p == null) {
            return Resp.NIL;
        }
        try {
            return p.string() ? Resp.bulk(kernel.value(p, key.length))
                    : Resp.error("WRONGTYPE Operation against a key holding the wrong kind of value");
        } finally {
            kernel.unref(p.addr());
        }
    }

    /**
     * SET of a value larger than the engine's request buffer: the kernel builds the entry, the
     * value is written into the heap from here, and the engine's SET (options and all) links it.
     */
    private byte[] largeSet(List<byte[]> argv) {
        byte[] key = argv.get(1), value = argv.get(2);
        List<byte[]> rest = new ArrayList<>(argv);
        rest.set(2, new byte[0]);
        if (value.length > maxValue || key.length > RedisKernel.KEY_MAX
                || Resp.command(rest).length > RedisKernel.TEXT_BUF) {
            return tooLarge(argv);
        }
        for (int attempt = 0; attempt < KERNEL_RETRIES; attempt++) {
            long entry = kernel.build(key, value.length);
            if (entry == 0) {
                return Resp.error("OOM command not allowed when used memory > 'maxmemory'.");
            }
            kernel.writeValue(entry, key.length, value);
            kernelRuns.increment();
            RedisKernel.Batch b = kernel.runAll(Resp.command(rest), entry); // takes the entry, run or not
            if (b.done() == 1) {
                return b.replies();
            }
            Thread.onSpinWait();
        }
        byte[] set = setGettingLargeValue(argv);
        return set != null ? set : tooLarge(argv);
    }

    /**
     * SET ... GET when the old value does not fit a reply buffer: the old value read here, then
     * the SET run without GET. Null when argv has no GET option. Not atomic against a write to the
     * key from the fast path between the two, which only a concurrent client could tell.
     */
    private byte[] setGettingLargeValue(List<byte[]> argv) {
        List<byte[]> set = new ArrayList<>(argv.subList(0, 3));
        boolean get = false;
        for (int j = 3; j < argv.size(); j++) {
            String opt = Resp.text(argv.get(j)).toUpperCase(Locale.ROOT);
            if (opt.equals("GET")) {
                get = true;
                continue;
            }
            set.add(argv.get(j));
            if (List.of("EX", "PX", "EXAT", "PXAT").contains(opt) && j + 1 < argv.size()) {
                set.add(argv.get(++j));
            }
        }
        if (!get) {
            return null;
        }
        byte[] old = largeGet(argv.get(1));
        if (old[0] == '-') {
            return old;
        }
        byte[] r = Resp.command(set).length > RedisKernel.TEXT_BUF ? largeSet(set) : kernelCommand("set", set);
        return r[0] == '-' ? r : old;
    }

    /**
     * The error for a command the engine declined because a key of it is longer than the store
     * takes (RD_KEY_MAX), or null. GET, EXISTS, DEL, TTL and EXPIRE of such a key never get here:
     * the engine answers them as Redis does for a missing key, which it is.
     */
    private static byte[] keyTooLong(String name, List<byte[]> argv) {
        int last = switch (name) {
            case "mget", "del", "exists" -> argv.size() - 1;
            default -> Math.min(1, argv.size() - 1);
        };
        for (int i = 1; i <= last; i++) {
            if (argv.get(i).length > RedisKernel.KEY_MAX) {
                return Resp.error("ERR ffkx: keys longer than " + RedisKernel.KEY_MAX
                        + " bytes are beyond this version's limits");
            }
        }
        return null;
    }

    /** A request above the engine's buffer: not served in this version (see the README's limits). */
    private byte[] tooLarge(List<byte[]> argv) {
        return Resp.error("ERR ffkx: request of " + Resp.command(argv).length + " bytes is beyond this version's limits"
                + " (values up to " + maxValue + " bytes, keys up to " + RedisKernel.KEY_MAX + ", other requests up to "
                + RedisKernel.TEXT_BUF + ")");
    }

    private byte[] hello(RedisSession session, List<byte[]> argv) {
        int next = 1;
        if (argv.size() >= 2) {
            Long ver = RequestFramer.string2ll(argv.get(next++));
            if (ver == null) {
                return Resp.error("ERR Protocol version is not an integer or out of range");
            }
            // RESP3 is not spoken here: declined exactly as Redis declines a version it lacks
            if (ver != 2) {
                return Resp.error("NOPROTO unsupported protocol version");
            }
        }
        byte[] setName = null;
        for (int j = next; j < argv.size(); j++) {
            int more = argv.size() - 1 - j;
            String opt = Resp.text(argv.get(j));
            if (opt.equalsIgnoreCase("AUTH") && more >= 2) {
                if (!Resp.text(argv.get(j + 1)).equals("default")) {
                    return Resp.error("WRONGPASS invalid username-password pair or user is disabled.");
                }
                j += 2;
            } else if (opt.equalsIgnoreCase("SETNAME") && more >= 1) {
                setName = argv.get(++j);
            } else {
                return Resp.error("ERR Syntax error in HELLO option '" + opt + "'");
            }
        }
        if (setName != null && !validName(setName)) {
            return badName();
        }
        if (setName != null) {
            session.name = setName.length == 0 ? null : setName;
        }
        return Resp.array(List.of(Resp.bulk("server"), Resp.bulk("redis"), Resp.bulk("version"), Resp.bulk(VERSION),
                Resp.bulk("proto"), Resp.integer(2), Resp.bulk("id"), Resp.integer(session.id), Resp.bulk("mode"),
                Resp.bulk("standalone"), Resp.bulk("role"), Resp.bulk("master"), Resp.bulk("modules"),
                Resp.array(List.of())));
    }

    private static boolean validName(byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    private static byte[] badName() {
        return Resp.error("ERR Client names cannot contain spaces, newlines or special characters.");
    }

    private byte[] client(RedisSession session, List<byte[]> argv) {
        String given = Resp.text(argv.get(1));
        String sub = given.toLowerCase(Locale.ROOT);
        Integer arity = Command.SUBCOMMAND_ARITY.get("client|" + sub);
        if (arity == null) {
            return unknownSubcommand(given, "CLIENT");
        }
        if (arity > 0 ? argv.size() != arity : argv.size() < -arity) {
            return arity("client|" + sub);
        }
        return switch (sub) {
            case "setname" -> {
                if (!validName(argv.get(2))) {
                    yield badName();
                }
                session.name = argv.get(2).length == 0 ? null : argv.get(2);
                yield Resp.OK;
            }
            case "getname" -> session.name == null ? Resp.NIL : Resp.bulk(session.name);
            default -> Resp.integer(session.id);
        };
    }

    private byte[] command(List<byte[]> argv) {
        if (argv.size() == 1) {
            return Resp.array(table.values().stream().map(Command::info).toList());
        }
        String given = Resp.text(argv.get(1));
        String sub = given.toLowerCase(Locale.ROOT);
        Integer arity = Command.SUBCOMMAND_ARITY.get("command|" + sub);
        if (arity == null) {
            return unknownSubcommand(given, "COMMAND");
        }
        if (arity > 0 ? argv.size() != arity : argv.size() < -arity) {
            return arity("command|" + sub);
        }
        List<Command> named = argv.subList(2, argv.size()).stream()
                .map(a -> table.get(Resp.text(a).toLowerCase(Locale.ROOT))).toList();
        return switch (sub) {
            case "count" -> Resp.integer(table.size());
            case "list" -> Resp.bulkArray(table.keySet().stream().sorted().toList());
            case "info" -> Resp.array(named.stream().map(c -> c == null ? Resp.NIL : c.info()).toList());
            default -> Resp.array((argv.size() == 2 ? table.values().stream() : named.stream().filter(c -> c != null))
                    .flatMap(Command::docs).toList());
        };
    }

    /** CONFIG GET of a server without persistence; any other parameter matches nothing. */
    private static byte[] config(List<byte[]> argv) {
        String given = Resp.text(argv.get(1));
        if (!given.equalsIgnoreCase("get")) {
            return unknownSubcommand(given, "CONFIG");
        }
        if (argv.size() < 3) {
            return arity("config|get");
        }
        List<String> out = new ArrayList<>();
        for (String[] param : new String[][] {{"appendonly", "no"}, {"save", ""}}) {
            for (byte[] pattern : argv.subList(2, argv.size())) {
                String p = Resp.text(pattern);
                if (Glob.matches(p.toLowerCase(Locale.ROOT), param[0])) {
                    // a plain name comes back as it was asked for, a pattern's match by its own name
                    out.add(p.matches(".*[\\[*?].*") ? param[0] : p);
                    out.add(param[1]);
                    break;
                }
            }
        }
        return Resp.bulkArray(out);
    }

    private static byte[] select(List<byte[]> argv) {
        Long db = RequestFramer.string2ll(argv.get(1));
        if (db == null || db < Integer.MIN_VALUE || db > Integer.MAX_VALUE) {
            return Resp.error("ERR value is not an integer or out of range");
        }
        return db == 0 ? Resp.OK : Resp.error("ERR DB index is out of range"); // one database, as databases 1
    }

    private byte[] flush(List<byte[]> argv) {
        if (argv.size() > 2 || (argv.size() == 2 && !Resp.text(argv.get(1)).equalsIgnoreCase("sync")
                && !Resp.text(argv.get(1)).equalsIgnoreCase("async"))) {
            return Resp.error("ERR syntax error");
        }
        kernel.flushAll();
        return Resp.OK;
    }

    /** INFO: the sections asked for (default: all of them), Redis' format, plus an ffkx section. */
    private byte[] info(List<byte[]> argv) {
        RedisKernel.Counters c = kernel.counters();
        Map<String, String> sections = new java.util.LinkedHashMap<>();
        sections.put("server", "# Server\r\nredis_version:" + VERSION + "\r\nredis_mode:standalone\r\ntcp_port:" + port
                + "\r\nuptime_in_seconds:" + (System.nanoTime() - started) / 1_000_000_000L + "\r\n");
        sections.put("persistence", "# Persistence\r\nloading:0\r\naof_enabled:0\r\nrdb_bgsave_in_progress:0\r\n");
        sections.put("stats", "# Stats\r\nexpired_keys:" + c.expired() + "\r\nkeyspace_hits:" + c.hits()
                + "\r\nkeyspace_misses:" + c.misses() + "\r\n");
        sections.put("keyspace", "# Keyspace\r\n" + (c.keys() > 0 ? "db0:keys=" + c.keys() + "\r\n" : ""));
        sections.put("ffkx", "# ffkx\r\n" + ffkxInfo.get());
        List<String> wanted = new ArrayList<>();
        for (byte[] a : argv.subList(1, argv.size())) {
            wanted.add(Resp.text(a).toLowerCase(Locale.ROOT));
        }
        boolean all = wanted.isEmpty() || wanted.contains("all") || wanted.contains("everything")
                || wanted.contains("default");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sections.forEach((name, text) -> {
            if (all || wanted.contains(name)) {
                if (out.size() > 0) {
                    out.writeBytes(Resp.ascii("\r\n"));
                }
                out.writeBytes(Resp.ascii(text));
            }
        });
        return Resp.bulk(out.toByteArray());
    }
}
