package dev.ffkx.bench.net;

import dev.ffkx.runtime.net.NetNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * memcaslap from libmemcached-tools: an independent memcached client, over TCP or UDP. It reports
 * throughput and an average latency, but no percentiles.
 */
final class MemcaslapClient implements Client {
    private static final Pattern TPS = Pattern.compile("Run time: \\S+ Ops: (\\d+) TPS: (\\d+)");
    private static final Pattern TOTAL_AVG = Pattern.compile("Total Statistics \\(\\d+ events\\)\\s+Min:\\s+\\d+\\s+Max:\\s+\\d+\\s+Avg:\\s+(\\d+)");
    private static final Pattern UDP_LOSS = Pattern.compile("(packet_drop|udp_timeout): (\\d+)");

    private final boolean udp;
    private final int threads;
    private final int concurrency;

    MemcaslapClient(boolean udp, int threads, int concurrency) {
        this.udp = udp;
        this.threads = threads;
        this.concurrency = concurrency;
    }

    @Override
    public String name() {
        return "memcaslap " + (udp ? "udp" : "tcp") + " 1:9 c" + concurrency;
    }

    @Override
    public boolean udp() {
        return udp;
    }

    @Override
    public Measurement run(NetNamespace namespace, Endpoint endpoint, int seconds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("memcaslap", "-s", endpoint.address() + ":" + endpoint.port(),
                "-T", String.valueOf(threads), "-c", String.valueOf(concurrency), "-t", seconds + "s", "-X", "32",
                "-S", seconds + "s"));
        if (udp) {
            cmd.add("-U");
        }
        String out = Commands.run(namespace.command(cmd.toArray(String[]::new)), seconds + 60L);
        return parse(out);
    }

    static Measurement parse(String out) {
        Matcher tps = TPS.matcher(out);
        if (!tps.find()) {
            throw new IllegalStateException("memcaslap printed no throughput: " + Commands.tail(out));
        }
        Matcher avg = TOTAL_AVG.matcher(out);
        double avgMillis = avg.find() ? Long.parseLong(avg.group(1)) / 1000.0 : Double.NaN;
        List<String> notes = new ArrayList<>();
        Matcher loss = UDP_LOSS.matcher(out);
        while (loss.find()) {
            if (!loss.group(2).equals("0")) {
                notes.add(loss.group(1) + " " + loss.group(2));
            }
        }
        return new Measurement(Double.parseDouble(tps.group(2)), avgMillis, Double.NaN, Double.NaN, String.join("; ", notes));
    }
}
