package dev.ffkx.runtime;

/** The kernel's {@code enum bpf_attach_type} values ffkx uses. */
enum AttachType {
    CGROUP_INET_INGRESS(0),
    CGROUP_SOCK_OPS(3),
    SK_SKB_STREAM_PARSER(4),
    SK_SKB_STREAM_VERDICT(5),
    XDP(37),
    SK_SKB_VERDICT(38);

    final int value;

    AttachType(int value) {
        this.value = value;
    }
}
