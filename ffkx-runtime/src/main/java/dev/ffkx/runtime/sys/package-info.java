/**
 * Every native binding of ffkx, and nothing else: libbpf (libbpf.so.1, 1.1 or newer) and libc,
 * through JNA direct mapping.
 *
 * <p>Native pointers cross this package's boundary as {@code long} addresses and file
 * descriptors as {@code int}; no JNA type leaks out. Functions return what the C function
 * returns (libbpf's negative error codes included) and leave error handling to the callers in
 * {@code dev.ffkx.runtime}, which know what the call was for.
 */
package dev.ffkx.runtime.sys;
