package dev.ffkx.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The commands this server knows, with what Redis 7.0's command table says of each: arity (n
 * exactly, or at least -n), flags, key positions and ACL categories for COMMAND, and a summary,
 * version and group for COMMAND DOCS. Where they run is not part of it: the kernel engine runs
 * what it knows, the slow path the rest.
 */
record Command(String name, int arity, List<String> flags, int firstKey, int lastKey, int step, List<String> acl,
               String summary, String since, String group) {

    private static final List<Command> STRINGS = List.of(
            c("ping", -1, "fast", 0, 0, 0, "fast connection", "Ping the server", "1.0.0", "connection"),
            c("echo", 2, "loading stale fast", 0, 0, 0, "fast connection", "Echo the given string", "1.0.0", "connection"),
            c("get", 2, "readonly fast", 1, 1, 1, "read string fast", "Get the value of a key", "1.0.0", "string"),
            c("set", -3, "write denyoom", 1, 1, 1, "write string slow", "Set the string value of a key", "1.0.0", "string"),
            c("del", -2, "write", 1, -1, 1, "keyspace write slow", "Delete a key", "1.0.0", "generic"),
            c("exists", -2, "readonly fast", 1, -1, 1, "keyspace read fast", "Determine if a key exists", "1.0.0", "generic"),
            c("incr", 2, "write denyoom fast", 1, 1, 1, "write string fast", "Increment the integer value of a key by one", "1.0.0", "string"),
            c("decr", 2, "write denyoom fast", 1, 1, 1, "write string fast", "Decrement the integer value of a key by one", "1.0.0", "string"),
            c("incrby", 3, "write denyoom fast", 1, 1, 1, "write string fast", "Increment the integer value of a key by the given amount", "1.0.0", "string"),
            c("decrby", 3, "write denyoom fast", 1, 1, 1, "write string fast", "Decrement the integer value of a key by the given number", "1.0.0", "string"),
            c("mset", -3, "write denyoom", 1, -1, 2, "write string slow", "Set multiple keys to multiple values", "1.0.1", "string"),
            c("setnx", 3, "write denyoom fast", 1, 1, 1, "write string fast", "Set the value of a key, only if the key does not exist", "1.0.0", "string"),
            c("setex", 4, "write denyoom", 1, 1, 1, "write string slow", "Set the value and expiration of a key", "2.0.0", "string"),
            c("psetex", 4, "write denyoom", 1, 1, 1, "write string slow", "Set the value and expiration in milliseconds of a key", "2.6.0", "string"),
            c("getset", 3, "write denyoom fast", 1, 1, 1, "write string fast", "Set the string value of a key and return its old value", "1.0.0", "string"),
            c("strlen", 2, "readonly fast", 1, 1, 1, "read string fast", "Get the length of the value stored in a key", "2.2.0", "string"),
            c("unlink", -2, "write fast", 1, -1, 1, "keyspace write fast", "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.", "4.0.0", "generic"),
            c("type", 2, "readonly fast", 1, 1, 1, "keyspace read fast", "Determine the type stored at key", "1.0.0", "generic"),
            c("mget", -2, "readonly fast", 1, -1, 1, "read string fast", "Get the values of all the given keys", "1.0.0", "string"),
            c("ttl", 2, "readonly fast", 1, 1, 1, "keyspace read fast", "Get the time to live for a key in seconds", "1.0.0", "generic"),
            c("pttl", 2, "readonly fast", 1, 1, 1, "keyspace read fast", "Get the time to live for a key in milliseconds", "2.6.0", "generic"),
            c("expire", -3, "write fast", 1, 1, 1, "keyspace write fast", "Set a key's time to live in seconds", "1.0.0", "generic"),
            c("persist", 2, "write fast", 1, 1, 1, "keyspace write fast", "Remove the expiration from a key", "2.2.0", "generic"),
            c("dbsize", 1, "readonly fast", 0, 0, 0, "keyspace read fast", "Return the number of keys in the selected database", "1.0.0", "server"),
            c("hello", -1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "fast connection", "Handshake with Redis", "6.0.0", "connection"),
            c("command", -1, "loading stale", 0, 0, 0, "slow connection", "Get array of Redis command details", "2.8.13", "server"),
            c("config", -2, "", 0, 0, 0, "slow", "A container for server configuration commands", "2.0.0", "server"),
            c("info", -1, "loading stale", 0, 0, 0, "slow dangerous", "Get information and statistics about the server", "1.0.0", "server"),
            c("select", 2, "loading stale fast", 0, 0, 0, "fast connection", "Change the selected database for the current connection", "2.0.0", "connection"),
            c("flushall", -1, "write", 0, 0, 0, "keyspace write slow dangerous", "Remove all keys from all databases", "1.0.0", "server"),
            c("flushdb", -1, "write", 0, 0, 0, "keyspace write slow dangerous", "Remove all keys from the current database", "1.0.0", "server"),
            c("client", -2, "", 0, 0, 0, "slow", "A container for client connection commands", "2.4.0", "connection"),
            c("quit", -1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "fast connection", "Close the connection", "1.0.0", "connection"));

    private static final List<Command> SORTED_SETS = List.of(
            c("zadd", -4, "write denyoom fast", 1, 1, 1, "write sortedset fast", "Add one or more members to a sorted set, or update its score if it already exists", "1.2.0", "sorted-set"),
            c("zincrby", 4, "write denyoom fast", 1, 1, 1, "write sortedset fast", "Increment the score of a member in a sorted set", "1.2.0", "sorted-set"),
            c("zscore", 3, "readonly fast", 1, 1, 1, "read sortedset fast", "Get the score associated with the given member in a sorted set", "1.2.0", "sorted-set"),
            c("zcard", 2, "readonly fast", 1, 1, 1, "read sortedset fast", "Get the number of members in a sorted set", "1.2.0", "sorted-set"),
            c("zrank", 3, "readonly fast", 1, 1, 1, "read sortedset fast", "Determine the index of a member in a sorted set", "2.0.0", "sorted-set"),
            c("zrem", -3, "write fast", 1, 1, 1, "write sortedset fast", "Remove one or more members from a sorted set", "1.2.0", "sorted-set"),
            c("zrange", -4, "readonly", 1, 1, 1, "read sortedset slow", "Return a range of members in a sorted set", "1.2.0", "sorted-set"),
            c("zrevrange", -4, "readonly", 1, 1, 1, "read sortedset slow", "Return a range of members in a sorted set, by index, with scores ordered from high to low", "1.2.0", "sorted-set"),
            c("zrangebyscore", -4, "readonly", 1, 1, 1, "read sortedset slow", "Return a range of members in a sorted set, by score", "1.0.5", "sorted-set"),
            c("zrevrangebyscore", -4, "readonly", 1, 1, 1, "read sortedset slow", "Return a range of members in a sorted set, by score, with scores ordered from high to low", "2.2.0", "sorted-set"),
            c("zcount", 4, "readonly fast", 1, 1, 1, "read sortedset fast", "Count the members in a sorted set with scores within the given values", "2.0.0", "sorted-set"));

    /** Subcommand arities: Redis names them 'config|get' in its arity error. */
    static final Map<String, Integer> SUBCOMMAND_ARITY = Map.of(
            "config|get", -3, "client|setname", 3, "client|getname", 2, "client|id", 2,
            "command|count", 2, "command|docs", -2, "command|info", -2, "command|list", -2);

    private static Command c(String name, int arity, String flags, int first, int last, int step, String acl,
                             String summary, String since, String group) {
        return new Command(name, arity, words(flags), first, last, step,
                words(acl).stream().map(a -> "@" + a).toList(), summary, since, group);
    }

    private static List<String> words(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(" "));
    }

    /** The table by lower-case name: the string commands, and the sorted-set ones with {@code sortedSets}. */
    static Map<String, Command> table(boolean sortedSets) {
        List<Command> all = new ArrayList<>(STRINGS);
        if (sortedSets) {
            all.addAll(SORTED_SETS);
        }
        return all.stream().collect(Collectors.toUnmodifiableMap(Command::name, Function.identity()));
    }

    static boolean isSortedSet(String name) {
        return SORTED_SETS.stream().anyMatch(c -> c.name.equals(name.toLowerCase(Locale.ROOT)));
    }

    boolean arityOk(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    /** COMMAND INFO's entry: name, arity, flags, keys, ACL categories, and no tips, key specs or subcommands. */
    byte[] info() {
        return Resp.array(List.of(Resp.bulk(name), Resp.integer(arity),
                Resp.array(flags.stream().map(Resp::simple).toList()), Resp.integer(firstKey), Resp.integer(lastKey),
                Resp.integer(step), Resp.array(acl.stream().map(Resp::simple).toList()), Resp.array(List.of()),
                Resp.array(List.of()), Resp.array(List.of())));
    }

    /** COMMAND DOCS's entry: the name, then summary, since and group. */
    Stream<byte[]> docs() {
        return Stream.of(Resp.bulk(name), Resp.array(List.of(Resp.bulk("summary"), Resp.bulk(summary),
                Resp.bulk("since"), Resp.bulk(since), Resp.bulk("group"), Resp.bulk(group))));
    }
}
