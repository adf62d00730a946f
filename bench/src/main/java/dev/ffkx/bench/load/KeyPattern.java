package dev.ffkx.bench.load;

/** How keys are drawn from [key-minimum, key-maximum], as memtier's {@code --key-pattern} letters. */
public enum KeyPattern {
    /** Uniformly random. */
    R,
    /** Sequential: each connection walks its own stretch of the range and wraps. */
    S,
    /** Gaussian around key-median with key-stddev, redrawn when outside the range. */
    G,
    /** Zipf with exponent key-zipf-exp: the lowest keys are the hottest. */
    Z;

    /** Parses one letter. */
    public static KeyPattern parse(String letter) {
        try {
            return valueOf(letter.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown key pattern '" + letter + "' (use R, S, G or Z)", e);
        }
    }
}
