package dev.ffkx.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.bench.net.RealServers;
import dev.ffkx.bench.net.ServerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ffkx-load against the real servers, started here on loopback and killed afterwards. */
class LoadGeneratorTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static int memcachedPort;
    private static int redisPort;
    private static ServerProcess memcached;
    private static ServerProcess redis;

    @BeforeAll
    static void startServers() throws IOException {
        memcachedPort = freePort();
        redisPort = freePort();
        memcached = ServerProcess.start("memcached", RealServers.memcachedCommand(LOOPBACK, memcachedPort), LOOPBACK, memcachedPort);
        redis = ServerProcess.start("redis-server", RealServers.redisCommand(LOOPBACK, redisPort), LOOPBACK, redisPort);
    }

    @AfterAll
    static void stopServers() {
        try {
            if (memcached != null) {
                memcached.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static LoadSpec.Builder memcachedSpec() {
        return LoadSpec.builder().server(LOOPBACK, memcachedPort).protocol(Protocol.MEMCACHE_TEXT)
                .threads(2).clients(4).keyRange(0, 999).ratio("1:1").testTime(2);
    }

    private static void assertClean(LoadResult r) {
        String table = r.totalsTable();
        assertTrue(r.answered() > 1000, table);
        assertEquals(0, r.errors(), table);
        assertEquals(0, r.connectionFailures(), table);
        assertEquals(null, r.firstProblem(), table);
    }

    private static void assertVerified(LoadResult r) {
        String table = r.totalsTable();
        assertTrue(r.verified() > 100, "too few GETs were checked: " + table);
        assertEquals(0, r.mismatches(), table);
        assertEquals(0, r.missing(), table);
        assertTrue(table.contains("0 mismatches"), table);
    }

    @Test
    void memcachedOverTcpVerifies() throws Exception {
        LoadResult r = LoadGenerator.run(memcachedSpec().pipeline(4).verify(true).build(), null);
        assertClean(r);
        assertVerified(r);
    }

    @Test
    void memcachedOverUdpVerifiesAndCountsTimeouts() throws Exception {
        LoadResult r = LoadGenerator.run(memcachedSpec().udp(true).pipeline(2).verify(true).build(), null);
        assertClean(r);
        assertVerified(r);
        assertTrue(r.totalsTable().contains("UDP timeouts"), r.totalsTable());
        assertTrue(r.timeouts() * 100 < r.answered(), "over 1% of UDP requests timed out on loopback: " + r);
    }

    @Test
    void redisPipelinedVerifies() throws Exception {
        LoadSpec spec = LoadSpec.builder().server(LOOPBACK, redisPort).threads(2).clients(4).pipeline(16)
                .keyRange(0, 999).ratio("1:1").keyPattern("Z:Z").testTime(2).verify(true).build();
        LoadResult r = LoadGenerator.run(spec, null);
        assertClean(r);
        assertVerified(r);
    }

    @Test
    void requestCountEndsTheRun() throws Exception {
        LoadSpec spec = memcachedSpec().testTime(0).requests(500).keyPattern("S:S").build();
        LoadResult r = LoadGenerator.run(spec, null);
        assertClean(r);
        assertEquals(500L * spec.connections(), r.answered());
    }

    @Test
    void customCommandsAreSentWithPlaceholdersFilled() throws Exception {
        LoadSpec spec = LoadSpec.builder().server(LOOPBACK, redisPort).threads(1).clients(2).keyPrefix("")
                .keyRange(1, 1000).command("ZADD ffkx:test:zset __key__ member:__key__").testTime(1).build();
        LoadResult r = LoadGenerator.run(spec, null);
        assertClean(r);
        assertTrue(r.totalsTable().contains("Zadds"), r.totalsTable());
    }

    @Test
    void jsonCarriesTheTotalsAndCounters() throws Exception {
        LoadResult r = LoadGenerator.run(memcachedSpec().testTime(1).build(), null);
        String json = r.toJson();
        assertTrue(json.contains("\"ALL STATS\""), json);
        assertTrue(json.contains("\"p99.00\""), json);
        assertTrue(json.contains("\"udp_timeouts\": 0"), json);
    }
}
