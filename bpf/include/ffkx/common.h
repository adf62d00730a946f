/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Base of every ffkx BPF program: kernel types, libbpf helpers, the __arena
 * address space and the kfuncs the library relies on.
 */
#ifndef FFKX_COMMON_H
#define FFKX_COMMON_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* Pointers into the extension heap (a BPF arena) live in address space 1. */
#define __arena __attribute__((address_space(1)))

#define ffkx_likely(x)   __builtin_expect(!!(x), 1)
#define ffkx_unlikely(x) __builtin_expect(!!(x), 0)

#define NUMA_NO_NODE (-1)

/* errno values returned (negated) by library functions; vmlinux.h carries no macros. */
#define ENOENT    2
#define E2BIG     7
#define EAGAIN    11
#define ENOMEM    12
#define EFAULT    14
#define EEXIST    17
#define EINVAL    22
#define ENOSPC    28
#define ERANGE    34
#define ECANCELED 125 /* a loop ran out of budget: the answer is unknown, not empty */

/*
 * clang 19 merges neighbouring constant stores into heap memory and may emit the merged store
 * through the pointer's user-space value instead of its cast, which the verifier refuses
 * ("invalid mem access 'scalar'"). A value clang cannot treat as a constant keeps every store on
 * the cast pointer: write `it->refs = ffkx_opaque(0)` when initialising heap structs.
 */
#define ffkx_opaque(v) ({ __typeof__(v) __o = (v); asm volatile("" : "+r"(__o)); __o; })

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* The program must be GPL to use arena and rqspinlock kfuncs. */
#define FFKX_LICENSE char _license[] SEC("license") = "GPL"

void __arena *bpf_arena_alloc_pages(void *map, void __arena *addr, __u32 page_cnt,
				    int node_id, __u64 flags) __ksym __weak;
void bpf_arena_free_pages(void *map, void __arena *ptr, __u32 page_cnt) __ksym __weak;


void *bpf_cast_to_kern_ctx(void *ctx) __ksym __weak;

#endif /* FFKX_COMMON_H */
