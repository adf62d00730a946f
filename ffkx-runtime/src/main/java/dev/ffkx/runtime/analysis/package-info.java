/**
 * Guard statistics: how many heap accesses a BPF program makes and how many of them a guard
 * already covers, reported in KFlex's {@code prog=NAME range_analysis_call=N elided=M} format so
 * ffkx's extensions can be compared with KFlex's.
 *
 * <p>Upstream arenas have no per-access guard. The JIT lowers every arena access to the heap base
 * plus a 32-bit offset, and the instruction that makes a heap pointer usable in the kernel, an
 * {@code addr_space_cast} from address space 1 (arena) to 0 (kernel), is what plays the guard.
 * {@link dev.ffkx.runtime.analysis.GuardAnalysis} reads the instructions libbpf hands the
 * verifier ({@link dev.ffkx.runtime.Program#instructions()}), decoded by
 * {@link dev.ffkx.runtime.analysis.BpfInsn}, and counts, over instructions reachable from the
 * entry or from a subprogram or callback the program calls:
 *
 * <ul>
 *   <li><b>guards</b>: casts from address space 1 to 0. A cast from 0 to 1 turns a heap pointer
 *       back into a user address to store in the heap; it guards nothing.
 *   <li><b>heap accesses</b>: loads, stores and atomics (load-acquire and store-release included)
 *       whose address register holds a heap pointer: a guard's result, its source register (the
 *       verifier types that as an arena pointer too, and clang does dereference it after the
 *       cast), or either of them moved, offset by a constant or a scalar, spilled to the stack
 *       with an aligned 8-byte store and filled back. Stack, context and map accesses are not
 *       heap accesses.
 *   <li><b>elided</b>: heap accesses that are not the first access through their pointer on
 *       some path. Each guard execution makes a fresh pointer, and the first access through it on
 *       a path pays for the guard; an access is elided when, on every path that reaches it, an
 *       access through the same guard's pointer came after that guard last ran. So a single access
 *       inside a loop is not elided, while the second of two accesses after one guard is.
 * </ul>
 *
 * <p>Where paths meet, a register or stack slot stays a heap pointer only if it is one on every
 * path. If the paths bring pointers from different guards, the merged pointer counts as new: it
 * is covered by one of those guards, but which one the analysis cannot tell, so its first access
 * after the join pays and later accesses through it are elided. Hence heap accesses minus elided
 * can exceed guards (merges) or fall short of them (guards never accessed through).
 *
 * <p>What the analysis does not see: arena pointers dereferenced without any cast of their value
 * (the verifier also accepts, for example, the pointer bpf_arena_alloc_pages returns), since
 * without BTF they look like any scalar; stack writes through a pointer whose offset is not
 * constant, which could overwrite a spilled heap pointer; pointers passed to or returned from
 * subprograms, as every function starts with unknown arguments and a call leaves r0-r5 unknown.
 * The numbers count instructions, not executions.
 *
 * <p>{@link dev.ffkx.runtime.analysis.KflexLogLines} reads the same lines back from a KFlex
 * kernel's log.
 */
package dev.ffkx.runtime.analysis;
