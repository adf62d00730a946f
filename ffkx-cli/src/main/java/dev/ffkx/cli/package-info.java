/**
 * The command line: {@code ffkx} runs offloads and checks the kernel ({@code doctor}), and shows
 * a first extension at work ({@code demo}); {@code ffkx-load} generates load and
 * {@code ffkx-bench} compares. Commands parse options and print; the work itself is in the
 * runtime, the app modules and bench.
 */
package dev.ffkx.cli;
