package dev.ffkx.redis.diff;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares two servers' replies to one command: byte for byte, except for the few replies that
 * legitimately differ between two correct servers. Only these are normalised, and only in the
 * way said here:
 * <ul>
 *   <li>TTL and PTTL: time passes between the two servers' answers (they run the same batch at
 *       the same time, but a loaded 2-CPU machine can hold one back), so two non-negative
 *       replies may differ by {@value #TTL_SECONDS} s or {@value #PTTL_MILLIS} ms. Negative
 *       replies (-1 no expiry, -2 no key) and errors must be identical.
 *   <li>HELLO: a successful reply is compared with the values of {@code id} (a per-server
 *       connection counter) and {@code version} (the server's own) left out; every other field,
 *       and every error, is compared exactly.
 *   <li>INFO: its content is the server's own; the tested server must answer a bulk string
 *       (after HELLO 3, a verbatim one) in INFO's syntax ({@code # Section} headers and {@code field:value} lines) with a Server section
 *       that names {@code redis_version}.
 *   <li>COMMAND, COMMAND DOCS, COMMAND COUNT: a server serves only its own command table, so the
 *       tested server may list fewer commands; each one it lists must be one the reference lists
 *       (COMMAND: with the same arity), and COMMAND COUNT must be a positive integer.
 * </ul>
 */
final class ReplyComparator {
    static final int TTL_SECONDS = 2;
    static final int PTTL_MILLIS = 2000;

    private ReplyComparator() {}

    /** Why the tested server's reply is wrong, or null if it is right. */
    static String compare(Command.Check check, byte[] reference, byte[] tested) {
        if (Arrays.equals(reference, tested)) {
            return null;
        }
        if (check == Command.Check.EXACT) {
            return "replies differ";
        }
        Object ref;
        Object test;
        try {
            ref = Resp.parse(reference);
        } catch (Resp.Malformed e) {
            return "the reference's reply does not parse: " + e.getMessage();
        }
        try {
            test = Resp.parse(tested);
        } catch (Resp.Malformed e) {
            return "not a RESP reply: " + e.getMessage();
        }
        return switch (check) {
            case TTL -> within(ref, test, TTL_SECONDS);
            case PTTL -> within(ref, test, PTTL_MILLIS);
            case HELLO -> hello(ref, test);
            case INFO -> info(test);
            case COMMAND_TABLE -> commandTable(ref, test);
            case COMMAND_DOCS -> commandDocs(ref, test);
            case COMMAND_COUNT -> integer(test) != null && integer(test) > 0 ? null
                    : "COMMAND COUNT must be a positive integer";
            case EXACT -> throw new AssertionError();
        };
    }

    private static String within(Object ref, Object test, long tolerance) {
        Long a = integer(ref);
        Long b = integer(test);
        if (a != null && b != null) {
            long x = a;
            long y = b;
            if (x >= 0 && y >= 0 && Math.abs(x - y) <= tolerance) {
                return null;
            }
            return x < 0 || y < 0 ? "replies differ" : "differs by " + Math.abs(x - y) + ", more than " + tolerance;
        }
        return "replies differ";
    }

    private static String hello(Object ref, Object test) {
        if (!(ref instanceof Resp.Aggregate)) {
            return "replies differ";
        }
        String a = show(withoutFields(ref));
        String b = show(withoutFields(test));
        return a.equals(b) ? null : "replies differ beyond id and version";
    }

    /** The HELLO reply with the values of id and version replaced by a marker. */
    private static Object withoutFields(Object reply) {
        if (!(reply instanceof Resp.Aggregate agg) || agg.items().size() % 2 != 0) {
            return reply;
        }
        List<Object> items = new ArrayList<>(agg.items());
        for (int i = 0; i < items.size(); i += 2) {
            String field = text(items.get(i));
            if ("id".equals(field) || "version".equals(field)) {
                items.set(i + 1, new Resp.Line('?', "(not compared)"));
            }
        }
        return new Resp.Aggregate(agg.type(), items);
    }

    private static String info(Object test) {
        if (!(test instanceof Resp.Bulk b) || b.type() == '!') {
            return "INFO must answer a bulk string";
        }
        String content = new String(b.bytes(), StandardCharsets.ISO_8859_1);
        if (b.type() == '=') {
            content = content.substring(Math.min(4, content.length())); // RESP3's verbatim "txt:"
        }
        String section = null;
        boolean version = false;
        for (String line : content.split("\r\n")) {
            if (line.startsWith("# ")) {
                section = line.substring(2);
            } else if (!line.isEmpty() && line.indexOf(':') <= 0) {
                return "not INFO syntax: " + line;
            } else if ("Server".equals(section) && line.startsWith("redis_version:")) {
                version = true;
            }
        }
        return version ? null : "no redis_version in a Server section";
    }

    private static String commandTable(Object ref, Object test) {
        Map<String, String> arity = new HashMap<>();
        if (ref instanceof Resp.Aggregate all) {
            for (Object entry : all.items()) {
                if (entry instanceof Resp.Aggregate e && e.items().size() > 1) {
                    arity.put(text(e.items().get(0)), show(e.items().get(1)));
                }
            }
        }
        if (!(test instanceof Resp.Aggregate list) || list.items().isEmpty()) {
            return "COMMAND must answer a non-empty array";
        }
        for (Object entry : list.items()) {
            if (!(entry instanceof Resp.Aggregate e) || e.items().size() < 2) {
                return "a COMMAND entry is not an array of name, arity, ...: " + show(entry);
            }
            String name = text(e.items().get(0));
            if (!arity.containsKey(name)) {
                return "COMMAND lists " + name + ", which the reference does not";
            }
            if (!arity.get(name).equals(show(e.items().get(1)))) {
                return "COMMAND gives " + name + " arity " + show(e.items().get(1)) + ", the reference " + arity.get(name);
            }
        }
        return null;
    }

    private static String commandDocs(Object ref, Object test) {
        if (!(ref instanceof Resp.Aggregate r) || !(test instanceof Resp.Aggregate t) || t.items().size() % 2 != 0) {
            return "COMMAND DOCS must answer name, docs pairs";
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < r.items().size(); i += 2) {
            names.add(text(r.items().get(i)));
        }
        for (int i = 0; i < t.items().size(); i += 2) {
            String name = text(t.items().get(i));
            if (!names.contains(name)) {
                return "COMMAND DOCS documents " + name + ", which the reference does not";
            }
            if (!(t.items().get(i + 1) instanceof Resp.Aggregate)) {
                return "COMMAND DOCS gives " + name + " no docs";
            }
        }
        return null;
    }

    /** The value of an integer reply, or null for any other reply. */
    private static Long integer(Object o) {
        if (o instanceof Resp.Line l && l.type() == ':') {
            try {
                return Long.parseLong(l.text());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String text(Object o) {
        if (o instanceof Resp.Bulk b) {
            return new String(b.bytes(), StandardCharsets.ISO_8859_1);
        }
        return o instanceof Resp.Line l ? l.text() : null;
    }

    /** A canonical text form of a parsed reply. */
    static String show(Object o) {
        if (o instanceof Resp.Bulk b) {
            return b.type() + b.bytes().length + ":" + new String(b.bytes(), StandardCharsets.ISO_8859_1);
        }
        if (o instanceof Resp.Aggregate a) {
            StringBuilder s = new StringBuilder().append(a.type()).append('[');
            for (Object item : a.items()) {
                s.append(show(item)).append(',');
            }
            return s.append(']').toString();
        }
        return o.toString();
    }
}
