package dev.ffkx.bench.net;

import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A row of the comparison: something that serves a protocol on an {@link Endpoint}. A real server
 * or an ffkx offload is a process, so that its CPU time is measured like a real server's; the XDP
 * echo runs in this JVM. Plugging in a new one takes a few lines, for example
 * {@code ServerUnderTest.inJvm("XDP echo (ceiling)", XdpEcho::start)}.
 */
public interface ServerUnderTest {
    String name();

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

    /** Starts an in-JVM server and returns what stops it. */
    @FunctionalInterface
    interface InJvmStarter {
        AutoCloseable start(Endpoint endpoint) throws Exception;
    }
}
