package dev.ffkx.bench.load;

import java.util.Locale;

/** The wire protocol ffkx-load speaks; names are memtier_benchmark's {@code --protocol} values. */
public enum Protocol {
    /** RESP over TCP. */
    REDIS,
    /** memcached's text protocol, over TCP or (with its 8-byte frame header) UDP. */
    MEMCACHE_TEXT;

    /** Parses a memtier-style name such as {@code memcache_text}. */
    public static Protocol parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown protocol '" + name + "' (use redis or memcache_text)", e);
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
