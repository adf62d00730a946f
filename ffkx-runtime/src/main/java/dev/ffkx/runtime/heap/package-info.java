/**
 * The extension heap seen from Java: {@link dev.ffkx.runtime.heap.ExtensionHeap} maps a BPF arena
 * into this process so Java can read and write heap memory at the same addresses the BPF programs
 * use. Pointers stored in the heap are user addresses, so Java follows them as they are.
 */
package dev.ffkx.runtime.heap;
