package dev.ffkx.runtime.net;

import dev.ffkx.runtime.sys.LibC;

/** Network devices of the calling process's namespace. */
public final class Interfaces {
    private Interfaces() {}

    /** The ifindex of a device, failing clearly when there is none. */
    public static int ifindex(String device) {
        int index = LibC.if_nametoindex(device);
        if (index == 0) {
            throw new NetException("no network device named '" + device + "'");
        }
        return index;
    }

    /** Names of devices in the root namespace that have an XDP program attached. */
    public static java.util.List<String> withXdp() {
        java.util.List<String> found = new java.util.ArrayList<>();
        String current = null;
        for (String line : Ip.run("-d", "link", "show").split("\n")) {
            if (!line.startsWith(" ")) {
                String[] f = line.split(":\\s+", 3);
                current = f.length > 1 ? f[1].replaceAll("@.*", "") : null;
            }
            if (current != null && (line.contains(" xdp") || line.contains("prog/xdp")) && !found.contains(current)) {
                found.add(current);
            }
        }
        return found;
    }
}
