/**
 * The data-structure suite: KFlex's heap data structures measured three ways on the same
 * workload. {@code ffkx} runs the extension-heap library of {@code bpf/}; {@code ebpf} runs the
 * best each structure can be in plain eBPF without an arena; {@code java} runs java.util, a
 * reference for what user space costs.
 *
 * <p>Every BPF measurement is one BPF_PROG_TEST_RUN that performs a whole batch of operations
 * inside the program, timed by JMH with {@code @OperationsPerInvocation}, so the syscall is
 * amortised away. {@link dev.ffkx.bench.ds.Suite} runs the matrix and writes the
 * {@link dev.ffkx.bench.ds.Report}.
 */
package dev.ffkx.bench.ds;
