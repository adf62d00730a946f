/**
 * The extension heap seen from Java: {@link dev.ffkx.runtime.heap.ExtensionHeap} maps a BPF arena
 * into this process so Java can read and write heap memory at the same addresses the BPF programs
 * use. Pointers stored in the heap are user addresses, so Java follows them as they are.
 *
 * <p>Objects built with {@code ffkx/heap.h} carry an allocator whose whole state lives in the heap:
 * {@link dev.ffkx.runtime.heap.ManagedHeap} sizes and initializes it, and
 * {@link dev.ffkx.runtime.heap.AllocatorStats} reads its counters and bitmaps.
 *
 * <p>Every view here reads the heap with plain loads while BPF programs may be changing it: what it
 * returns is a racy snapshot, exact only when no program runs. Readers never write, so a snapshot
 * can be wrong but cannot corrupt the heap.
 */
package dev.ffkx.runtime.heap;
