package dev.ffkx.bench.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The parsers of memcaslap's and redis-benchmark's output, on output they printed here. */
class PeerToolOutputTest {
    @Test
    void memcaslapThroughputAverageAndUdpLoss() {
        String out = """
                Total Statistics (294525 events)
                   Min:         8
                   Max:      9379
                   Avg:       108
                   Geo:     35.74
                packet_disorder: 0
                packet_drop: 3
                udp_timeout: 0

                Run time: 2.0s Ops: 298296 TPS: 149136 Net_rate: 25.5M/s
                """;
        Measurement m = MemcaslapClient.parse(out);
        assertEquals(149136, m.opsPerSecond());
        assertEquals(0.108, m.avgMillis(), 1e-9);
        assertTrue(Double.isNaN(m.p99Millis()));
        assertEquals("packet_drop 3", m.note());
    }

    @Test
    void redisBenchmarkCsv() {
        String out = """
                "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
                "GET","71326.68","0.426","0.128","0.351","0.727","0.831","4.535"
                """;
        Measurement m = RedisBenchmarkClient.parse(out);
        assertEquals(71326.68, m.opsPerSecond(), 1e-6);
        assertEquals(0.351, m.p50Millis(), 1e-9);
        assertEquals(0.831, m.p99Millis(), 1e-9);
    }
}
