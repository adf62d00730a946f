/**
 * The command line: {@code ffkx} runs offloads and checks the kernel ({@code doctor}), and shows
 * a first extension at work ({@code demo}). Commands parse options and print; the work itself is
 * in the runtime and the app modules.
 */
package dev.ffkx.cli;
