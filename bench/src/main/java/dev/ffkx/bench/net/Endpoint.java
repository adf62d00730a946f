package dev.ffkx.bench.net;

/**
 * Where a server under test serves: an address and port in the root namespace, on the device the
 * clients reach it through (an offload attaches its fast path there).
 */
public record Endpoint(String address, int port, String device, int ifindex) {}
