/**
 * Benchmarks and comparisons: {@code ds} is the data-structure suite (JMH); {@code load} is
 * ffkx-load, the load generator; {@code net} runs the real servers and the ffkx offloads side by
 * side under the same load.
 */
package dev.ffkx.bench;
