/**
 * The Java face of libbpf: {@link dev.ffkx.runtime.BpfObject} opens and loads an ELF object,
 * {@link dev.ffkx.runtime.Program} and {@link dev.ffkx.runtime.BpfMap} wrap what it holds,
 * {@link dev.ffkx.runtime.Link} is an attachment that detaches on close, and
 * {@link dev.ffkx.runtime.TestRun} drives BPF_PROG_TEST_RUN.
 *
 * <p>Every failure is a {@link dev.ffkx.runtime.BpfException} that names what was attempted and
 * the errno; a rejected program is a {@link dev.ffkx.runtime.BpfLoadException} carrying the
 * verifier log.
 */
package dev.ffkx.runtime;
