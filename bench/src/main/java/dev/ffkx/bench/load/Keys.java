package dev.ffkx.bench.load;

import java.util.SplittableRandom;

/**
 * The keys one connection uses. Under {@code --verify} every connection owns the keys congruent to
 * its index modulo the number of connections, so "the value last set for a key" is decided by one
 * connection's own order and needs no coordination between threads.
 */
final class Keys {
    private final LoadSpec spec;
    private final SplittableRandom random;
    private final ZipfSampler zipf;
    private final long range;
    private final int connection;
    private final int connections;
    private long sequential;

    Keys(LoadSpec spec, int connection, SplittableRandom random) {
        this.spec = spec;
        this.random = random;
        this.range = spec.keyMaximum() - spec.keyMinimum() + 1;
        this.connection = connection;
        this.connections = spec.connections();
        boolean needsZipf = spec.setPattern() == KeyPattern.Z || spec.getPattern() == KeyPattern.Z;
        this.zipf = needsZipf ? new ZipfSampler((int) range, spec.zipfExponent()) : null;
        this.sequential = range * connection / connections;
    }

    /** The next key number for a SET (or a custom command) or a GET. */
    long next(boolean forSet) {
        long offset = switch (forSet ? spec.setPattern() : spec.getPattern()) {
            case R -> random.nextLong(range);
            case S -> {
                long k = sequential;
                sequential = sequential + 1 == range ? 0 : sequential + 1;
                yield k;
            }
            case G -> gaussian();
            case Z -> zipf.sample(random) - 1L;
        };
        if (spec.verify()) {
            offset = offset - offset % connections + connection;
            if (offset >= range) {
                offset -= connections;
            }
        }
        return spec.keyMinimum() + offset;
    }

    private long gaussian() {
        while (true) {
            double v = spec.keyMedian() + random.nextGaussian() * spec.keyStddev() - spec.keyMinimum();
            long k = Math.round(v);
            if (k >= 0 && k < range) {
                return k;
            }
        }
    }
}
