package dev.ffkx.runtime;

/** How an XDP program is attached: the kernel's XDP_FLAGS_*_MODE. */
public enum XdpMode {
    /** The driver's native mode when it has one, else generic. */
    AUTO(0),
    /** In the driver, before an skb exists (XDP_FLAGS_DRV_MODE). */
    NATIVE(1 << 2),
    /** On the skb, for any device (XDP_FLAGS_SKB_MODE). */
    GENERIC(1 << 1);

    final int flags;

    XdpMode(int flags) {
        this.flags = flags;
    }
}
