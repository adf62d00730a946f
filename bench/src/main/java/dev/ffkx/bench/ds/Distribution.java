package dev.ffkx.bench.ds;

import java.util.Locale;

/** How the keys of the operations are drawn from the key set. */
public enum Distribution {
    UNIFORM, ZIPF;

    /** KFlex's skew: Zipf with exponent 0.99. */
    public static final double ZIPF_EXPONENT = 0.99;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Distribution of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
