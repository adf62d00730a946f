package dev.ffkx.bench.net;

/**
 * What a client measured in one run. Latencies are in milliseconds, NaN where the client does not
 * report them (memcaslap has no percentiles); {@code note} carries timeouts, errors and the like.
 */
public record Measurement(double opsPerSecond, double avgMillis, double p50Millis, double p99Millis, String note) {}
