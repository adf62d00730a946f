/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The extension heap: one BPF arena per object, always named ffkx_heap so the
 * Java runtime sizes and maps it by name, and its fixed layout.
 *
 *   page 0                 never populated, never handed out: a NULL heap
 *                          pointer is offset 0, so a stray NULL dereference
 *                          reads zeroes instead of someone's object
 *   page 1                 struct ffkx_heap_header: layout, roots, allocator
 *                          state and counters (Java reads it, see HeapLayout)
 *   pages 2-3              struct ffkx_heap_cpu[FFKX_MAX_CPUS]
 *   pages 4 ..             struct ffkx_page[nr_pages]: one descriptor per page
 *   first_page .. nr_pages pages the allocator hands out
 *
 * Offsets are fixed rather than stored so that finding the header costs no
 * load on the fast path. This needs the arena's user address to be 4 GiB
 * aligned (the JIT addresses the arena by the low 32 bits of a pointer), which
 * ExtensionHeap.configure guarantees and ffkx_heap_init checks.
 *
 * On 6.18 only sleepable programs may call bpf_arena_alloc_pages, so every page
 * is populated once, up front, by ffkx_heap_init (run from Java after load);
 * XDP, tc and sk_skb programs then only carve objects out of present pages.
 */
#ifndef FFKX_HEAP_H
#define FFKX_HEAP_H

#include "common.h"
#include "loop.h"

#define FFKX_PAGE_SHIFT   12
#define FFKX_PAGE_SIZE    (1U << FFKX_PAGE_SHIFT)
#define FFKX_HEAP_MAGIC   0x50414548584B4646ULL /* "FFKXHEAP" */
#define FFKX_HEAP_VERSION 1

#define FFKX_HDR_PAGE   1
#define FFKX_CPU_PAGE   2
#define FFKX_DESC_PAGE  4
#define FFKX_MAX_CPUS   64 /* CPUs beyond share slots: correct, only more contended */
#define FFKX_NR_CLASSES 17 /* 16, 24, 32, 48, ... 3072, 4096 bytes */
#define FFKX_NR_ORDERS  21 /* page runs of 2^0 .. 2^20 pages (4 GiB) */
#define FFKX_NR_ROOTS   16
#define FFKX_MAX_PAGES  (1U << 20)

/* Heap sized by Java (ExtensionHeap.configure) before load; this is a placeholder. */
#ifndef FFKX_HEAP_DEFAULT_PAGES
#define FFKX_HEAP_DEFAULT_PAGES 256
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, FFKX_HEAP_DEFAULT_PAGES);
} ffkx_heap SEC(".maps");

/*
 * Page descriptor states. A page's state only moves by compare-and-swap, so two
 * contexts can never both believe they own the transition (see alloc.h).
 */
enum {
	FFKX_PAGE_UNUSED = 0,   /* not handed out yet */
	FFKX_PAGE_SLAB_OWNED,   /* slab page that a CPU slot allocates from */
	FFKX_PAGE_SLAB_FLOATING,/* slab page full when its owner let go of it */
	FFKX_PAGE_SLAB_LISTED,  /* slab page on its class's partial list */
	FFKX_PAGE_RUN_USED,     /* first page of an allocated run */
	FFKX_PAGE_RUN_FREE,     /* first page of a run on a free-run list */
	FFKX_PAGE_RUN_TAIL,     /* any later page of a run */
};

/* 64 bytes, so two CPUs' current pages never share a cache line. */
struct ffkx_page {
	__u64 bits[4]; /* slab: bit set = slot handed out, or past the last slot */
	__u32 state;
	__u32 cls;     /* slab: size class; run: order */
	__u32 next;    /* link on a page stack; 0 ends it (page 0 is never listed) */
	__u32 pad[5];
};

/* Per CPU slot: the slab page it carves each class from; 128 bytes apart. */
struct ffkx_heap_cpu {
	__u32 page[FFKX_NR_CLASSES];
	__u32 pad[32 - FFKX_NR_CLASSES];
};

/*
 * Field groups sit on separate cache lines: read-mostly layout first, then
 * the shared list heads, then counters that only failure paths write.
 */
struct ffkx_heap_header {
	/* 0: written once by ffkx_heap_init */
	__u64 magic;
	__u32 version;
	__u32 nr_pages;
	__u32 first_page;
	__u32 nr_classes;
	__u32 nr_orders;
	__u32 max_cpus;
	__u8 bit_index[64]; /* de Bruijn table: index of an isolated bit */
	__u8 pad1[32];
	/* 128: addresses programs publish for each other and for Java */
	__u64 roots[FFKX_NR_ROOTS];
	/* 256: allocator state; list heads are {tag:32, page:32} for ABA safety */
	__u64 brk;                      /* next never-used page */
	__u64 partial[FFKX_NR_CLASSES]; /* slab pages of a class with free slots */
	__u64 runs[FFKX_NR_ORDERS];     /* free runs by order */
	__u64 pad0[64 - 1 - FFKX_NR_CLASSES - FFKX_NR_ORDERS];
	/* 768: counters, bumped atomically and only off the fast path */
	__u64 class_failures[FFKX_NR_CLASSES]; /* no memory for an object of the class */
	__u64 run_failures;   /* no run of pages for a large object */
	__u64 zero_sizes;     /* ffkx_malloc(0) */
	__u64 too_large;      /* larger than any heap */
	__u64 double_frees;   /* freed what is already free */
	__u64 bad_pointers;   /* freed what the allocator never handed out */
	__u64 cancelled;      /* loop budget ran out: the call failed, nothing broke */
};

_Static_assert(sizeof(struct ffkx_page) == 64, "page descriptors are one cache line");
_Static_assert(sizeof(struct ffkx_heap_cpu) == 128, "CPU slots are two cache lines apart");
_Static_assert(sizeof(struct ffkx_heap_header) <= FFKX_PAGE_SIZE, "the header fits its page");
/* Java reads these offsets (dev.ffkx.runtime.heap.HeapLayout): moving them is a format change. */
_Static_assert(__builtin_offsetof(struct ffkx_heap_header, roots) == 128, "roots at 128");
_Static_assert(__builtin_offsetof(struct ffkx_heap_header, brk) == 256, "allocator state at 256");
_Static_assert(__builtin_offsetof(struct ffkx_heap_header, class_failures) == 768, "counters at 768");
_Static_assert(FFKX_MAX_CPUS * sizeof(struct ffkx_heap_cpu) ==
	       (FFKX_DESC_PAGE - FFKX_CPU_PAGE) * FFKX_PAGE_SIZE, "CPU slots fill their pages");

/*
 * The header, as a heap (user) address. The cast from the header's offset to
 * a user address is written in asm: were it visible, clang would fold it with
 * the casts back to kernel addresses it puts before each access, and hand the
 * verifier a plain number to dereference. Naming the arena map in the asm also
 * attaches programs that only dereference heap pointers (and call no arena
 * kfunc) to the arena, which the verifier requires.
 */
static __always_inline struct ffkx_heap_header __arena *ffkx_heap_header(void)
{
	struct ffkx_heap_header __arena *hdr;

	asm volatile("%[h] = %[off]; %[h] = addr_space_cast(%[h], 1, 0)"
		     : [h] "=&r"(hdr)
		     : [off] "i"(FFKX_HDR_PAGE << FFKX_PAGE_SHIFT), "r"(&ffkx_heap));
	return hdr;
}

/*
 * Heap words for copy and clear loops. clang turns plain loops into
 * memset/memcpy, and clang 19 expands those for heap memory without the
 * address-space casts the verifier needs; volatile keeps each word an access.
 */
typedef volatile __u64 __arena ffkx_heap_word;

/* Heap offset of a heap pointer: its low 32 bits, the heap being 4 GiB aligned. */
static __always_inline __u32 ffkx_heap_offset(const void __arena *p)
{
	return (__u32)(unsigned long)p;
}

static __always_inline void __arena *ffkx_heap_page_addr(struct ffkx_heap_header __arena *hdr, __u32 page)
{
	return (char __arena *)hdr + ((__u64)page << FFKX_PAGE_SHIFT) - (FFKX_HDR_PAGE << FFKX_PAGE_SHIFT);
}

static __always_inline struct ffkx_page __arena *ffkx_heap_page(struct ffkx_heap_header __arena *hdr, __u32 page)
{
	return (struct ffkx_page __arena *)((char __arena *)hdr +
		((FFKX_DESC_PAGE - FFKX_HDR_PAGE) << FFKX_PAGE_SHIFT) + (__u64)page * sizeof(struct ffkx_page));
}

static __always_inline struct ffkx_heap_cpu __arena *ffkx_heap_cpu(struct ffkx_heap_header __arena *hdr)
{
	__u32 cpu = bpf_get_smp_processor_id() & (FFKX_MAX_CPUS - 1);

	return (struct ffkx_heap_cpu __arena *)((char __arena *)hdr +
		((FFKX_CPU_PAGE - FFKX_HDR_PAGE) << FFKX_PAGE_SHIFT) + cpu * sizeof(struct ffkx_heap_cpu));
}

/* Root slot i: where a program publishes a structure's address for others to find. */
static __always_inline __u64 __arena *ffkx_heap_root(__u32 i)
{
	return &ffkx_heap_header()->roots[i & (FFKX_NR_ROOTS - 1)];
}

/* The first page past the descriptors of nr_pages pages. */
static __always_inline __u32 ffkx_heap_first_page(__u32 nr_pages)
{
	return FFKX_DESC_PAGE + (nr_pages * sizeof(struct ffkx_page) + FFKX_PAGE_SIZE - 1) / FFKX_PAGE_SIZE;
}

#define FFKX_DEBRUIJN64 0x022fdd63cc95386dULL

/*
 * Makes every page after page 0 present. One kfunc call normally; if user space
 * already faulted pages in (ExtensionHeap.populate), the bulk call refuses and
 * pages are taken one at a time, and presence is then proven by a write that
 * must read back, since a store to a missing page is silently dropped.
 */
static __always_inline int ffkx_heap_populate(struct ffkx_heap_header __arena *hdr, __u32 nr_pages)
{
	__u32 i;

	if (bpf_arena_alloc_pages(&ffkx_heap, hdr, nr_pages - FFKX_HDR_PAGE, NUMA_NO_NODE, 0))
		return 0;
	for (i = ffkx_loop_from(FFKX_HDR_PAGE); i < nr_pages; i++) {
		bpf_arena_alloc_pages(&ffkx_heap, ffkx_heap_page_addr(hdr, i), 1, NUMA_NO_NODE, 0);
		cond_break;
	}
	if (i < nr_pages)
		return -ECANCELED;
	for (i = ffkx_loop_from(FFKX_HDR_PAGE); i < nr_pages; i++) {
		volatile __u64 __arena *w = ffkx_heap_page_addr(hdr, i);

		*w = FFKX_HEAP_MAGIC;
		if (*w != FFKX_HEAP_MAGIC)
			return -ENOMEM;
		*w = 0;
		cond_break;
	}
	return i < nr_pages ? -ECANCELED : 0;
}

struct ffkx_heap_init_args {
	__u64 heap_bytes; /* in: the arena's size */
};

/*
 * Run once after load, before any allocation: populates the heap and writes
 * its header. Allocations before it fail (the header reads as zero).
 */
SEC("syscall")
int ffkx_heap_init(struct ffkx_heap_init_args *args)
{
	struct ffkx_heap_header __arena *hdr = ffkx_heap_header();
	__u64 pages = args->heap_bytes >> FFKX_PAGE_SHIFT;
	__u32 first, i;
	int err;

	if (pages > FFKX_MAX_PAGES)
		return -E2BIG;
	first = ffkx_heap_first_page(pages);
	if (pages <= first)
		return -ENOSPC;
	if (ffkx_heap_offset(hdr) != FFKX_HDR_PAGE << FFKX_PAGE_SHIFT)
		return -EINVAL;
	if (hdr->magic == FFKX_HEAP_MAGIC)
		return -EEXIST;
	err = ffkx_heap_populate(hdr, pages);
	if (err)
		return err;

	hdr->version = FFKX_HEAP_VERSION;
	hdr->nr_pages = pages;
	hdr->first_page = first;
	hdr->nr_classes = FFKX_NR_CLASSES;
	hdr->nr_orders = FFKX_NR_ORDERS;
	hdr->max_cpus = FFKX_MAX_CPUS;
	hdr->brk = first;
	for (i = 0; i < 64; i++)
		hdr->bit_index[((1ULL << i) * FFKX_DEBRUIJN64) >> 58] = i;
	/* Publishing the magic last, with a full barrier, makes the rest visible first. */
	__sync_fetch_and_add(&hdr->magic, FFKX_HEAP_MAGIC);
	return 0;
}

#endif /* FFKX_HEAP_H */
