/**
 * Benchmarks and comparisons: {@code load} is ffkx-load, the load generator; {@code net} runs the
 * real servers and the ffkx offloads side by side under the same load.
 */
package dev.ffkx.bench;
