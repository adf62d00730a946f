package dev.ffkx.runtime.net;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** A network namespace made by this process, deleted on close with everything inside it. */
public final class NetNamespace implements AutoCloseable {
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NetNamespace(String name) {
        this.name = name;
    }

    /** Creates a namespace with its loopback up. */
    public static NetNamespace create(String name) {
        Ip.run("netns", "add", name);
        NetNamespace ns = new NetNamespace(name);
        try {
            ns.ip("link", "set", "lo", "up");
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** Runs ip inside the namespace. */
    public String ip(String... args) {
        List<String> full = new ArrayList<>(List.of("-n", name));
        full.addAll(List.of(args));
        return Ip.run(full.toArray(String[]::new));
    }

    /** A command line that runs {@code command} inside the namespace. */
    public List<String> command(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return cmd;
    }

    /** Runs a command inside the namespace to completion and returns its output. */
    public String exec(String... command) {
        return Ip.exec(command(command));
    }

    /** The namespaces that exist now. */
    public static List<String> list() {
        List<String> names = new ArrayList<>();
        for (String line : Ip.run("netns", "list").split("\n")) {
            if (!line.isBlank()) {
                names.add(line.split("\\s+")[0]);
            }
        }
        return names;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && list().contains(name)) {
            Ip.run("netns", "del", name);
        }
    }
}
