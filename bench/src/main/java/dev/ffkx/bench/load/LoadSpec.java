package dev.ffkx.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * One ffkx-load run, checked as a whole. Defaults are memtier_benchmark's, so a run described in
 * memtier terms means the same here. Build it with {@link #builder()}.
 */
public record LoadSpec(
        String host, int port, Protocol protocol, boolean udp,
        int threads, int clientsPerThread, int setRatio, int getRatio, int pipeline,
        int testTimeSeconds, long requestsPerClient,
        String keyPrefix, long keyMinimum, long keyMaximum, KeyPattern setPattern, KeyPattern getPattern,
        double zipfExponent, double keyMedian, double keyStddev,
        int dataSize, String command, boolean verify, int udpTimeoutMillis) {

    /** memcached answers and accepts at most this many UDP payload bytes per datagram, frame header included. */
    static final int UDP_MAX_PAYLOAD = 1400;

    public LoadSpec {
        List<String> problems = new ArrayList<>();
        if (port < 1 || port > 65535) problems.add("port " + port + " is not in 1..65535");
        if (udp && protocol != Protocol.MEMCACHE_TEXT) problems.add("UDP needs --protocol memcache_text");
        if (threads < 1) problems.add("--threads must be at least 1");
        if (clientsPerThread < 1) problems.add("--clients must be at least 1");
        if (setRatio < 0 || getRatio < 0 || setRatio + getRatio == 0) problems.add("--ratio needs SET:GET, not both 0");
        if (pipeline < 1) problems.add("--pipeline must be at least 1");
        if (udp && pipeline > 4096) problems.add("--pipeline over UDP is at most 4096 (request ids are 16 bits)");
        if (testTimeSeconds < 0) problems.add("--test-time must not be negative");
        if (testTimeSeconds == 0 && requestsPerClient < 1) problems.add("give --test-time or --requests");
        if (keyMaximum < keyMinimum) problems.add("--key-maximum is below --key-minimum");
        if (keyMaximum - keyMinimum >= Integer.MAX_VALUE) problems.add("the key range holds at most 2^31-1 keys");
        if ((setPattern == KeyPattern.Z || getPattern == KeyPattern.Z) && !(zipfExponent > 0 && zipfExponent < 5)) {
            problems.add("--key-zipf-exp must be in (0, 5)");
        }
        if (dataSize < 1) problems.add("--data-size must be at least 1");
        if (verify && command != null) problems.add("--verify checks SET/GET traffic, not --command");
        if (verify && dataSize < Values.MIN_VERIFIED_SIZE) {
            problems.add("--verify needs --data-size of at least " + Values.MIN_VERIFIED_SIZE + " (the value carries its version)");
        }
        long connections = (long) threads * clientsPerThread;
        if (verify && keyMaximum - keyMinimum + 1 < connections) {
            problems.add("--verify gives each connection keys of its own: the key range needs at least " + connections + " keys");
        }
        if (udp && command == null && 8 + 64 + keyPrefix.length() + 20 + dataSize > UDP_MAX_PAYLOAD) {
            problems.add("a SET of --data-size " + dataSize + " does not fit one memcached UDP datagram ("
                    + UDP_MAX_PAYLOAD + " bytes)");
        }
        if (udpTimeoutMillis < 1) problems.add("--udp-timeout must be at least 1 ms");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    public int connections() {
        return threads * clientsPerThread;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction with memtier_benchmark's defaults. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 6379;
        private Protocol protocol = Protocol.REDIS;
        private boolean udp;
        private int threads = 4;
        private int clients = 50;
        private int setRatio = 1;
        private int getRatio = 10;
        private int pipeline = 1;
        private int testTime;
        private long requests = 10_000;
        private String keyPrefix = "memtier-";
        private long keyMin;
        private long keyMax = 10_000_000;
        private KeyPattern setPattern = KeyPattern.R;
        private KeyPattern getPattern = KeyPattern.R;
        private double zipfExp = 1.0;
        private double keyMedian = Double.NaN;
        private double keyStddev = Double.NaN;
        private int dataSize = 32;
        private String command;
        private boolean verify;
        private int udpTimeoutMillis = 1000;

        private Builder() {}

        public Builder server(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        public Builder protocol(Protocol protocol) {
            this.protocol = protocol;
            return this;
        }

        public Builder udp(boolean udp) {
            this.udp = udp;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder clients(int clientsPerThread) {
            this.clients = clientsPerThread;
            return this;
        }

        /** memtier's {@code --ratio SET:GET}. */
        public Builder ratio(String setColonGet) {
            String[] parts = setColonGet.split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("--ratio takes SET:GET, such as 1:10, not '" + setColonGet + "'");
            }
            this.setRatio = Integer.parseInt(parts[0].trim());
            this.getRatio = Integer.parseInt(parts[1].trim());
            return this;
        }

        public Builder pipeline(int pipeline) {
            this.pipeline = pipeline;
            return this;
        }

        /** Seconds to run; 0 means run {@link #requests} per client instead. */
        public Builder testTime(int seconds) {
            this.testTime = seconds;
            return this;
        }

        public Builder requests(long perClient) {
            this.requests = perClient;
            return this;
        }

        public Builder keyPrefix(String prefix) {
            this.keyPrefix = prefix;
            return this;
        }

        public Builder keyRange(long minimum, long maximum) {
            this.keyMin = minimum;
            this.keyMax = maximum;
            return this;
        }

        /** memtier's {@code --key-pattern SET:GET} (or one letter for both). */
        public Builder keyPattern(String pattern) {
            String[] parts = pattern.split(":");
            if (parts.length > 2) {
                throw new IllegalArgumentException("--key-pattern takes SET:GET letters, such as R:R, not '" + pattern + "'");
            }
            this.setPattern = KeyPattern.parse(parts[0]);
            this.getPattern = KeyPattern.parse(parts[parts.length - 1]);
            return this;
        }

        public Builder zipfExponent(double exponent) {
            this.zipfExp = exponent;
            return this;
        }

        /** Gaussian pattern's centre and spread; NaN picks the range's middle and a sixth of it. */
        public Builder gaussian(double median, double stddev) {
            this.keyMedian = median;
            this.keyStddev = stddev;
            return this;
        }

        public Builder dataSize(int bytes) {
            this.dataSize = bytes;
            return this;
        }

        /** An arbitrary command with {@code __key__} and {@code __data__} placeholders, sent instead of SET/GET. */
        public Builder command(String command) {
            this.command = command == null || command.isBlank() ? null : command.strip();
            return this;
        }

        public Builder verify(boolean verify) {
            this.verify = verify;
            return this;
        }

        public Builder udpTimeoutMillis(int millis) {
            this.udpTimeoutMillis = millis;
            return this;
        }

        public LoadSpec build() {
            double median = Double.isNaN(keyMedian) ? (keyMin + keyMax) / 2.0 : keyMedian;
            double stddev = Double.isNaN(keyStddev) ? Math.max(1.0, (keyMax - keyMin) / 6.0) : keyStddev;
            return new LoadSpec(host, port, protocol, udp, threads, clients, setRatio, getRatio, pipeline, testTime,
                    requests, keyPrefix, keyMin, keyMax, setPattern, getPattern, zipfExp, median, stddev,
                    dataSize, command, verify, udpTimeoutMillis);
        }
    }
}
