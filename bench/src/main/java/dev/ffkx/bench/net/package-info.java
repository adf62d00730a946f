/**
 * ffkx-bench net: the side-by-side comparison. It builds a veth sandbox, runs each server under
 * test on the root end's address, drives it from the namespace with identical load (ffkx-load, and
 * memcaslap or redis-benchmark where they apply), and reports throughput, latency, server CPU and
 * ratios as a table, JSON and a PNG chart. Rows that can't run yet say why.
 */
package dev.ffkx.bench.net;
