package dev.ffkx.bench.net;

import dev.ffkx.bench.load.LoadSpec;
import dev.ffkx.bench.load.Protocol;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code ffkx-bench net} compares: the servers under test (the real one first: ratios are
 * against it), the clients each is driven with, and the keys written before any is measured.
 */
public enum Scenario {
    /** memcached -t 2 against ffkx --kmemcached, with the XDP echo as the UDP ceiling. */
    MEMCACHED(11211) {
        @Override
        List<Lane> lanes(boolean warmUp) {
            List<Client> clients = List.of(
                    ffkxLoad("ffkx-load tcp 1:10 c50", false, b -> memcachedMix(b), warmUp),
                    ffkxLoad("ffkx-load udp 1:10 c50", true, b -> memcachedMix(b), warmUp),
                    new MemcaslapClient(false, 2, 50),
                    new MemcaslapClient(true, 2, 50));
            return List.of(new Lane(RealServers.memcached(), clients),
                    new Lane(Offloads.kmemcached(), clients),
                    new Lane(XdpEcho.server(), clients.stream().filter(Client::udp).toList()));
        }

        @Override
        Optional<LoadSpec.Builder> prefill() {
            return Optional.of(fill(LoadSpec.builder().protocol(Protocol.MEMCACHE_TEXT)));
        }
    },
    /** redis-server against ffkx --kmemcache and --kredis, SET/GET at pipeline 1 and 16. */
    REDIS(6379) {
        @Override
        List<Lane> lanes(boolean warmUp) {
            List<Client> clients = List.of(
                    ffkxLoad("ffkx-load 1:10 P1 c50", false, b -> redisMix(b), warmUp),
                    ffkxLoad("ffkx-load 1:10 P16 c50", false, b -> redisMix(b).pipeline(16), warmUp),
                    new RedisBenchmarkClient("set", 1, 50, 100_000),
                    new RedisBenchmarkClient("get", 1, 50, 100_000),
                    new RedisBenchmarkClient("get", 16, 50, 800_000));
            return List.of(new Lane(RealServers.redis(), clients),
                    new Lane(Offloads.kmemcache(), clients),
                    new Lane(Offloads.kredis(), clients));
        }

        @Override
        Optional<LoadSpec.Builder> prefill() {
            return Optional.of(fill(LoadSpec.builder().protocol(Protocol.REDIS)));
        }
    },
    /** Sorted-set inserts, as KFlex measured them: redis-server against ffkx --kredis. */
    ZADD(6379) {
        @Override
        List<Lane> lanes(boolean warmUp) {
            List<Client> clients = List.of(
                    ffkxLoad("ffkx-load ZADD c50", false, b -> b.protocol(Protocol.REDIS).threads(2).clients(25)
                            .keyPrefix("").keyRange(1, 1_000_000).command("ZADD ffkx:zset __key__ member:__key__"), warmUp),
                    new RedisBenchmarkClient("zadd", 1, 50, 100_000));
            return List.of(new Lane(RealServers.redis(), clients), new Lane(Offloads.kredis(), clients));
        }

        @Override
        Optional<LoadSpec.Builder> prefill() {
            return Optional.empty();
        }
    };

    /** Keys 0..KEYS-1 are written before the measured runs, so GETs hit. */
    static final long KEYS = 100_000;

    private final int defaultPort;

    Scenario(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** A server under test and the clients it is driven with. */
    record Lane(ServerUnderTest server, List<Client> clients) {}

    abstract List<Lane> lanes(boolean warmUp);

    /** A SET pass over every key, run once per server before it is measured; empty if none is needed. */
    abstract Optional<LoadSpec.Builder> prefill();

    public int defaultPort() {
        return defaultPort;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scenario parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown comparison '" + name + "' (use memcached, redis or zadd)", e);
        }
    }

    private static Client ffkxLoad(String name, boolean udp, java.util.function.UnaryOperator<LoadSpec.Builder> configure, boolean warmUp) {
        return new FfkxLoadClient(name, udp, configure, warmUp);
    }

    private static LoadSpec.Builder memcachedMix(LoadSpec.Builder b) {
        return b.protocol(Protocol.MEMCACHE_TEXT).threads(2).clients(25).ratio("1:10").keyRange(0, KEYS - 1);
    }

    private static LoadSpec.Builder redisMix(LoadSpec.Builder b) {
        return b.protocol(Protocol.REDIS).threads(2).clients(25).ratio("1:10").keyRange(0, KEYS - 1);
    }

    private static LoadSpec.Builder fill(LoadSpec.Builder b) {
        int connections = 2 * 25;
        return b.threads(2).clients(25).pipeline(16).ratio("1:0").keyPattern("S:S").keyRange(0, KEYS - 1)
                .requests(KEYS / connections).testTime(0);
    }
}
