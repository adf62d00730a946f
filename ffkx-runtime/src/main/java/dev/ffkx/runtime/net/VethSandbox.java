package dev.ffkx.runtime.net;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A two-host sandbox: a veth pair whose host end stays in the root namespace (where servers and
 * XDP programs run) and whose peer end sits in a namespace of its own (where clients run), each
 * with an address in a /24 of 10.250.0.0/16 that no other interface of this machine uses.
 * Closing it deletes the namespace, which deletes the pair.
 */
public final class VethSandbox implements AutoCloseable {
    private static final String PREFIX = "ffkx-";
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final NetNamespace namespace;
    private final String hostDevice;
    private final String peerDevice;
    private final String hostAddress;
    private final String peerAddress;
    private final AtomicBoolean closed = new AtomicBoolean();

    private VethSandbox(NetNamespace ns, String hostDevice, String peerDevice, String hostAddress, String peerAddress) {
        this.namespace = ns;
        this.hostDevice = hostDevice;
        this.peerDevice = peerDevice;
        this.hostAddress = hostAddress;
        this.peerAddress = peerAddress;
    }

    /** Builds a sandbox, first sweeping any left behind by processes that no longer run. */
    public static synchronized VethSandbox create() {
        sweepStale();
        long pid = ProcessHandle.current().pid();
        int seq = SEQ.incrementAndGet();
        String tag = pid + "-" + seq;
        String hostDev = "fx" + tag + "h";
        String peerDev = "fx" + tag + "p";
        if (hostDev.length() > 15) {
            throw new NetException("device name " + hostDev + " exceeds 15 characters");
        }
        int subnet = freeSubnet();
        String hostAddr = "10.250." + subnet + ".1";
        String peerAddr = "10.250." + subnet + ".2";
        NetNamespace ns = NetNamespace.create(PREFIX + tag);
        try {
            Ip.run("link", "add", hostDev, "type", "veth", "peer", "name", peerDev, "netns", ns.name());
            Ip.run("addr", "add", hostAddr + "/24", "dev", hostDev);
            Ip.run("link", "set", hostDev, "up");
            ns.ip("addr", "add", peerAddr + "/24", "dev", peerDev);
            ns.ip("link", "set", peerDev, "up");
            return new VethSandbox(ns, hostDev, peerDev, hostAddr, peerAddr);
        } catch (RuntimeException e) {
            ns.close();
            deleteLinkQuietly(hostDev);
            throw e;
        }
    }

    /** Deletes namespaces (and so their veths) named by ffkx for processes that are gone. */
    public static void sweepStale() {
        for (String name : NetNamespace.list()) {
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String[] parts = name.substring(PREFIX.length()).split("-");
            try {
                long pid = Long.parseLong(parts[0]);
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
            } catch (NumberFormatException e) {
                continue;
            }
            Ip.run("netns", "del", name);
        }
    }

    private static int freeSubnet() {
        String used = Ip.run("-4", "-o", "addr", "show");
        for (int i = 1; i < 255; i++) {
            if (!used.contains(" 10.250." + i + ".")) {
                return i;
            }
        }
        throw new NetException("every /24 of 10.250.0.0/16 is in use");
    }

    private static void deleteLinkQuietly(String dev) {
        try {
            Ip.run("link", "del", dev);
        } catch (NetException ignored) {
            // it never came to exist
        }
    }

    public NetNamespace namespace() {
        return namespace;
    }

    /** The veth end in the root namespace. */
    public String hostDevice() {
        return hostDevice;
    }

    public int hostIfindex() {
        return Interfaces.ifindex(hostDevice);
    }

    /** The veth end inside the namespace. */
    public String peerDevice() {
        return peerDevice;
    }

    public String hostAddress() {
        return hostAddress;
    }

    public String peerAddress() {
        return peerAddress;
    }

    /** A command line run from the peer's namespace. */
    public List<String> peerCommand(String... command) {
        return namespace.command(command);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            namespace.close();
            if (Ip.run("-o", "link", "show").contains(" " + hostDevice + "@")) {
                deleteLinkQuietly(hostDevice);
            }
        }
    }
}
