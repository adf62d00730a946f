package dev.ffkx.bench.net;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A row of the comparison: something that serves a protocol on an {@link Endpoint}. A real server
 * is a process; an ffkx offload or the XDP echo runs in this JVM. An offload that is not built yet
 * is a row that says so. Plugging in a new one takes a few lines, for example
 * {@code ServerUnderTest.inJvm("ffkx --kmemcached", e -> KMemcached.start(e.ifindex(), e.port())::close)}.
 */
public interface ServerUnderTest {
    String name();

    /** Why this row can't run here (not built yet, say), or empty when it can. */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    /** Starts serving; returns once clients can connect. */
    Running start(Endpoint endpoint) throws Exception;

    /** A started server. Closing it stops it and releases everything it attached. */
    interface Running extends AutoCloseable {
        /** The process whose CPU time is the server's, if it has one of its own. */
        OptionalLong pid();

        @Override
        void close();
    }

    /** A server process: {@code command} gives its command line for an endpoint. */
    static ServerUnderTest process(String name, Function<Endpoint, List<String>> command) {
        return new ServerUnderTest() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Running start(Endpoint endpoint) throws Exception {
                return ServerProcess.start(name, command.apply(endpoint), endpoint.address(), endpoint.port());
            }
        };
    }

    /** Something this JVM runs, such as an offload's controller. */
    static ServerUnderTest inJvm(String name, InJvmStarter starter) {
        return new ServerUnderTest() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Running start(Endpoint endpoint) throws Exception {
                AutoCloseable stop = starter.start(endpoint);
                return new Running() {
                    @Override
                    public OptionalLong pid() {
                        return OptionalLong.empty();
                    }

                    @Override
                    public void close() {
                        try {
                            stop.close();
                        } catch (Exception e) {
                            throw new IllegalStateException("stopping " + name + ": " + e.getMessage(), e);
                        }
                    }
                };
            }
        };
    }

    /** A row that can't run yet; the table shows {@code reason} in its place. */
    static ServerUnderTest notAvailable(String name, String reason) {
        return new ServerUnderTest() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> unavailable() {
                return Optional.of(reason);
            }

            @Override
            public Running start(Endpoint endpoint) {
                throw new UnsupportedOperationException(name + ": " + reason);
            }
        };
    }

    /** Starts an in-JVM server and returns what stops it. */
    @FunctionalInterface
    interface InJvmStarter {
        AutoCloseable start(Endpoint endpoint) throws Exception;
    }
}
