package dev.ffkx.runtime.net;

import dev.ffkx.runtime.sys.LibC;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * Runs {@code work} on a new thread that has entered this namespace, and returns its result.
     * setns changes only the calling thread, so sockets opened and devices looked up (by ifindex,
     * as XDP attachment does) inside {@code work} are this namespace's; the thread ends with it.
     */
    public <T> T call(Callable<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            String path = "/var/run/netns/" + name;
            int fd = LibC.open(path, LibC.O_RDONLY_CLOEXEC);
            if (fd < 0) {
                failure.set(new NetException("opening " + path + ": errno " + LibC.errno()));
                return;
            }
            try {
                if (LibC.setns(fd, LibC.CLONE_NEWNET) != 0) {
                    failure.set(new NetException("entering namespace " + name + ": errno " + LibC.errno()));
                    return;
                }
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                LibC.close(fd);
            }
        }, "netns-" + name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetException("interrupted while working in namespace " + name);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new NetException("in namespace " + name + ": " + e);
        }
        return result.get();
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
