/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The heap allocator: ffkx_malloc and ffkx_free, usable from any program type,
 * on every CPU at once, and from a softirq program that interrupts another
 * allocating program on the same CPU.
 *
 * Objects up to 4 KiB come from slab pages of 17 size classes (powers of two
 * and the midpoints between them). Each slab page carries an allocation bitmap
 * in its descriptor: allocating sets a clear bit with one compare-and-swap,
 * freeing clears it with another (the x86 JIT has no fetch-or/fetch-and on
 * arena memory). That one atomic per call is the whole synchronisation of the
 * fast path, and the word it sees makes double frees exact: a free that finds
 * its bit already clear is refused.
 *
 * Why no bpf_local_irq_save around per-CPU free lists: on this machine a kfunc
 * call costs ~9 ns (return thunks), an irq save+restore pair 22 ns and a
 * res_spin_lock pair 20 ns, against ~5 ns for an arena atomic. So the per-CPU
 * cache is a current slab page per CPU slot and class, not a free list: CPUs
 * claim bits of different pages (no shared cache lines), and a nested or
 * preempting context on the same CPU merely claims bits of the same page,
 * which the atomics already make safe. Replacing a CPU's current page is a
 * compare-and-swap, so of two racing contexts one installs its page and the
 * other hands its page back.
 *
 * Behind the CPU slots are the global per-class lists of partially free slab
 * pages, and the free page runs by order (a power of two of pages, for objects
 * over 4 KiB). Both are lock-free stacks whose head word carries a 32-bit tag
 * next to the page number, so a head popped and pushed back in between fails
 * the compare-and-swap (ABA). Reading a page descriptor that changed under us
 * is harmless: descriptors are never unmapped.
 *
 * A full slab page leaves its CPU slot "floating". Whoever frees into a
 * floating page lists it; the slot owner, after marking it floating, looks at
 * the bitmap once more and lists it itself if a free slipped in. Both steps are
 * full barriers (atomic), so at least one of them sees the other.
 *
 * Limits: memory given to a size class stays with it (slab pages are not given
 * back to the page pool), runs are rounded up to a power of two of pages, and
 * an allocation may fail while other CPU slots' current pages still hold free
 * slots of its class (at most FFKX_MAX_CPUS pages per class). Do not call
 * ffkx_malloc while holding an ffkx lock: it calls a helper, which the verifier
 * forbids there.
 */
#ifndef FFKX_ALLOC_H
#define FFKX_ALLOC_H

#include "heap.h"

#define FFKX_SLAB_MAX 4096
#define FFKX_ALLOC_MAX (1ULL << 32)

/* Class of a size in 1..4096: 16, 24, 32, 48, 64, ... 2048, 3072, 4096. */
static __always_inline __u32 ffkx_size_class(__u64 size)
{
	__u64 n = size - 1, t = n;
	__u32 b = 0;

	if (n < 16)
		return 0;
	if (t >> 8) {
		t >>= 8;
		b += 8;
	}
	if (t >> 4) {
		t >>= 4;
		b += 4;
	}
	if (t >> 2) {
		t >>= 2;
		b += 2;
	}
	if (t >> 1)
		b += 1;
	return 2 * (b - 4) + 1 + ((n >> (b - 1)) & 1);
}

/* Odd classes are 3 * 2^k: dividing by 3 is a multiply, exact for the 9-bit quotients used here. */
#define FFKX_DIV3(x) (((x) * 0xAAABULL) >> 17)

static __always_inline __u32 ffkx_class_shift(__u32 cls)
{
	return (cls & 1) ? cls / 2 + 3 : cls / 2 + 4;
}

static __always_inline __u32 ffkx_class_size(__u32 cls)
{
	return ((cls & 1) ? 3U : 1U) << ffkx_class_shift(cls);
}

/* Slot holding in-page offset x. */
static __always_inline __u32 ffkx_class_slot(__u32 cls, __u32 x)
{
	__u32 q = x >> ffkx_class_shift(cls);

	return (cls & 1) ? FFKX_DIV3(q) : q;
}

static __always_inline __u32 ffkx_class_slots(__u32 cls)
{
	return ffkx_class_slot(cls, FFKX_PAGE_SIZE);
}

static __always_inline __u32 ffkx_class_words(__u32 cls)
{
	return (ffkx_class_slots(cls) + 63) / 64;
}

static __always_inline void ffkx_count(__u64 __arena *counter)
{
	__sync_fetch_and_add(counter, 1);
}

/* Pushes a page on a tagged stack. A cancelled push leaks the page, never links it twice. */
static __always_inline int ffkx_page_push(struct ffkx_heap_header __arena *hdr, __u64 __arena *head, __u32 page)
{
	struct ffkx_page __arena *desc = ffkx_heap_page(hdr, page);

	while (can_loop) {
		__u64 old = *(volatile __u64 __arena *)head;

		desc->next = (__u32)old;
		if (__sync_val_compare_and_swap(head, old, (((old >> 32) + 1) << 32) | page) == old)
			return 0;
	}
	ffkx_count(&hdr->cancelled);
	return -ECANCELED;
}

/* Pops a page, or 0 when the stack is empty (or the loop was cancelled, which is counted). */
static __always_inline __u32 ffkx_page_pop(struct ffkx_heap_header __arena *hdr, __u64 __arena *head)
{
	while (can_loop) {
		__u64 old = *(volatile __u64 __arena *)head;
		__u32 page = (__u32)old;
		__u32 next;

		if (!page)
			return 0;
		next = ffkx_heap_page(hdr, page)->next;
		if (__sync_val_compare_and_swap(head, old, (((old >> 32) + 1) << 32) | next) == old)
			return page;
	}
	ffkx_count(&hdr->cancelled);
	return 0;
}

/*
 * A run of 2^order pages: a free run of that order, else never-used pages, else
 * a larger free run split in halves whose upper parts go to the lower orders.
 * Its first page's descriptor is left for the caller to set.
 *
 * The slow paths of the allocator are global functions taking only scalars:
 * the verifier checks a global function once per program, where a static one
 * is checked again at every call site and for every state it is reached in,
 * which in a program with many allocation sites exhausts its budget.
 */
__noinline __u32 ffkx_pages_get(__u32 order)
{
	struct ffkx_heap_header __arena *hdr = ffkx_heap_header();
	__u32 page = 0, n = 1U << (order & 31), i, j;
	__u64 brk;

	if (order >= FFKX_NR_ORDERS)
		return 0;
	page = ffkx_page_pop(hdr, &hdr->runs[order]);
	if (page)
		return page;
	while (can_loop) {
		brk = *(volatile __u64 __arena *)&hdr->brk;
		if (brk + n > hdr->nr_pages)
			break;
		if (__sync_val_compare_and_swap(&hdr->brk, brk, brk + n) != brk)
			continue;
		for (i = ffkx_loop_from(1); i < n; i++) {
			ffkx_heap_page(hdr, brk + i)->state = FFKX_PAGE_RUN_TAIL;
			cond_break;
		}
		return brk;
	}
	for (j = ffkx_loop_from(order + 1); j < FFKX_NR_ORDERS; j++) {
		page = ffkx_page_pop(hdr, &hdr->runs[j]);
		if (page)
			break;
		cond_break;
	}
	if (!page)
		return 0;
	/* A cancelled split hands out the rest of the run with it: lost, not shared. */
	while (j > order) {
		struct ffkx_page __arena *half;

		j--;
		half = ffkx_heap_page(hdr, page + (1U << j));
		half->cls = j;
		half->state = FFKX_PAGE_RUN_FREE;
		ffkx_page_push(hdr, &hdr->runs[j], page + (1U << j));
		cond_break;
	}
	return page;
}

static __always_inline bool ffkx_slab_has_free(struct ffkx_page __arena *desc, __u32 cls)
{
	__u32 w, words = ffkx_class_words(cls);

	for (w = 0; w < 4 && w < words; w++)
		if (desc->bits[w] != ~0ULL)
			return true;
	return false;
}

/* Lists a floating page, unless another context just did. */
static __always_inline void ffkx_slab_list(struct ffkx_heap_header __arena *hdr, __u32 page)
{
	struct ffkx_page __arena *desc = ffkx_heap_page(hdr, page);

	if (__sync_val_compare_and_swap(&desc->state, FFKX_PAGE_SLAB_FLOATING, FFKX_PAGE_SLAB_LISTED) ==
	    FFKX_PAGE_SLAB_FLOATING)
		ffkx_page_push(hdr, &hdr->partial[desc->cls % FFKX_NR_CLASSES], page);
}

/* Lets go of a page no CPU slot allocates from any more. */
static __always_inline void ffkx_slab_release(struct ffkx_heap_header __arena *hdr, __u32 page)
{
	struct ffkx_page __arena *desc = ffkx_heap_page(hdr, page);

	if (__sync_val_compare_and_swap(&desc->state, FFKX_PAGE_SLAB_OWNED, FFKX_PAGE_SLAB_FLOATING) !=
	    FFKX_PAGE_SLAB_OWNED)
		return;
	if (ffkx_slab_has_free(desc, desc->cls))
		ffkx_slab_list(hdr, page);
}

/* A fresh slab page: slots past the last are marked taken so they are never handed out. */
static __always_inline void ffkx_slab_format(struct ffkx_page __arena *desc, __u32 cls)
{
	__u32 slots = ffkx_class_slots(cls), w;

	for (w = 0; w < 4; w++) {
		__u32 first = w * 64;

		if (slots >= first + 64)
			desc->bits[w] = 0;
		else if (slots <= first)
			desc->bits[w] = ~0ULL;
		else
			desc->bits[w] = ~0ULL << (slots - first);
	}
	desc->cls = cls;
}

/*
 * Replaces a CPU slot's current page `old` (full, or 0) by a page with free
 * slots. Returns 0 when the slot has a new page (ours or a racing context's).
 */
__noinline int ffkx_slab_refill(__u64 slot_addr, __u32 old, __u32 cls)
{
	struct ffkx_heap_header __arena *hdr = ffkx_heap_header();
	__u32 __arena *slot = (__u32 __arena *)slot_addr;
	struct ffkx_page __arena *desc;
	__u32 page;

	if (hdr->magic != FFKX_HEAP_MAGIC || cls >= FFKX_NR_CLASSES)
		return -EINVAL;
	page = ffkx_page_pop(hdr, &hdr->partial[cls]);
	if (!page) {
		page = ffkx_pages_get(0);
		if (!page) {
			ffkx_count(&hdr->class_failures[cls]);
			return -ENOMEM;
		}
		ffkx_slab_format(ffkx_heap_page(hdr, page), cls);
	}
	desc = ffkx_heap_page(hdr, page);
	desc->state = FFKX_PAGE_SLAB_OWNED;
	if (__sync_val_compare_and_swap(slot, old, page) == old) {
		if (old)
			ffkx_slab_release(hdr, old);
	} else {
		ffkx_slab_release(hdr, page);
	}
	return 0;
}

/* Claims a free slot of a slab page, or returns NULL when it has none. */
static __always_inline void __arena *ffkx_slab_take(struct ffkx_heap_header __arena *hdr, __u32 page, __u32 cls)
{
	struct ffkx_page __arena *desc = ffkx_heap_page(hdr, page);
	__u32 w, words = ffkx_class_words(cls);

	for (w = 0; w < 4 && w < words; w++) {
		__u64 bits = desc->bits[w];

		while (~bits) {
			__u64 low = ~bits & (bits + 1);
			__u64 old = __sync_val_compare_and_swap(&desc->bits[w], bits, bits | low);

			if (old == bits) {
				__u32 slot = w * 64 + hdr->bit_index[(low * FFKX_DEBRUIJN64) >> 58];

				return (char __arena *)ffkx_heap_page_addr(hdr, page) + slot * ffkx_class_size(cls);
			}
			bits = old;
			cond_break;
		}
	}
	return NULL;
}

/* Objects over 4 KiB: a page run, rounded up to a power of two of pages. */
__noinline __u64 ffkx_malloc_run(__u64 size)
{
	struct ffkx_heap_header __arena *hdr = ffkx_heap_header();
	struct ffkx_page __arena *desc;
	__u64 pages = (size + FFKX_PAGE_SIZE - 1) >> FFKX_PAGE_SHIFT;
	__u32 order = 0, page;

	if (hdr->magic != FFKX_HEAP_MAGIC)
		return 0;
	if (size > FFKX_ALLOC_MAX) {
		ffkx_count(&hdr->too_large);
		return 0;
	}
	while ((1ULL << order) < pages && order < FFKX_NR_ORDERS)
		order++;
	page = ffkx_pages_get(order);
	if (!page) {
		ffkx_count(&hdr->run_failures);
		return 0;
	}
	desc = ffkx_heap_page(hdr, page);
	desc->cls = order;
	desc->state = FFKX_PAGE_RUN_USED;
	return (__u64)ffkx_heap_page_addr(hdr, page);
}

/*
 * size bytes of heap, 8-byte aligned (16 from 16-byte classes up), not zeroed;
 * NULL when the heap has no room (counted per class), for size 0 or over 4 GiB
 * (counted), before ffkx_heap_init ran, or when the loop budget ran out.
 */
static __always_inline void __arena *ffkx_malloc(__u64 size)
{
	struct ffkx_heap_header __arena *hdr = ffkx_heap_header();
	__u32 __arena *slot;
	__u32 cls;

	if (ffkx_unlikely(size - 1 >= FFKX_SLAB_MAX)) {
		if (!size) {
			ffkx_count(&hdr->zero_sizes);
			return NULL;
		}
		return (void __arena *)ffkx_malloc_run(size);
	}
	cls = ffkx_size_class(size);
	slot = &ffkx_heap_cpu(hdr)->page[cls];
	while (can_loop) {
		__u32 page = *(volatile __u32 __arena *)slot;
		void __arena *obj;

		if (page) {
			obj = ffkx_slab_take(hdr, page, cls);
			if (obj)
				return obj;
		}
		if (ffkx_slab_refill((__u64)slot, page, cls))
			return NULL;
	}
	ffkx_count(&hdr->cancelled);
	return NULL;
}

__noinline int ffkx_free_run(__u32 page, __u32 in_page)
{
	struct ffkx_heap_header __arena *hdr = ffkx_heap_header();
	struct ffkx_page __arena *desc = ffkx_heap_page(hdr, page);
	__u32 state;

	if (in_page) {
		ffkx_count(&hdr->bad_pointers);
		return 0;
	}
	state = __sync_val_compare_and_swap(&desc->state, FFKX_PAGE_RUN_USED, FFKX_PAGE_RUN_FREE);
	if (state == FFKX_PAGE_RUN_USED)
		ffkx_page_push(hdr, &hdr->runs[desc->cls % FFKX_NR_ORDERS], page);
	else if (state == FFKX_PAGE_RUN_FREE)
		ffkx_count(&hdr->double_frees);
	else
		ffkx_count(&hdr->bad_pointers);
	return 0;
}

/*
 * Frees what ffkx_malloc returned; NULL is ignored. A pointer freed twice, or
 * not handed out by the allocator (another heap, the header, inside an object),
 * is counted and otherwise ignored: the heap stays intact.
 */
static __always_inline void ffkx_free(void __arena *p)
{
	struct ffkx_heap_header __arena *hdr = ffkx_heap_header();
	struct ffkx_page __arena *desc;
	__u32 off = ffkx_heap_offset(p), page = off >> FFKX_PAGE_SHIFT, in_page = off & (FFKX_PAGE_SIZE - 1);
	__u32 state, cls, slot;
	__u64 __arena *word;
	__u64 bit, old;

	if (!p)
		return;
	if (((unsigned long)p >> 32) != ((unsigned long)hdr >> 32) || page < hdr->first_page ||
	    page >= hdr->nr_pages) {
		ffkx_count(&hdr->bad_pointers);
		return;
	}
	desc = ffkx_heap_page(hdr, page);
	state = desc->state;
	if (state < FFKX_PAGE_SLAB_OWNED || state > FFKX_PAGE_SLAB_LISTED) {
		ffkx_free_run(page, in_page);
		return;
	}
	cls = desc->cls;
	slot = ffkx_class_slot(cls, in_page);
	if (slot >= ffkx_class_slots(cls) || slot * ffkx_class_size(cls) != in_page) {
		ffkx_count(&hdr->bad_pointers);
		return;
	}
	bit = 1ULL << (slot & 63);
	word = &desc->bits[(slot >> 6) & 3];
	old = *(volatile __u64 __arena *)word;
	while (true) {
		__u64 seen;

		if (!(old & bit)) {
			ffkx_count(&hdr->double_frees);
			return;
		}
		seen = __sync_val_compare_and_swap(word, old, old & ~bit);
		if (seen == old)
			break;
		old = seen;
		if (!can_loop) {
			ffkx_count(&hdr->cancelled);
			return;
		}
	}
	/* Read after the atomic: a page let go of before it is ours to list. */
	if (*(volatile __u32 __arena *)&desc->state == FFKX_PAGE_SLAB_FLOATING)
		ffkx_slab_list(hdr, page);
}

/*
 * ffkx_malloc, zeroed: for tables set up once, such as a store's hash buckets. Returns NULL with
 * *err set to -ENOMEM when the heap has no room, or to -ECANCELED when the loop budget ran out
 * before the whole object was cleared (too large for one run); either way nothing stays allocated.
 */
static __always_inline void __arena *ffkx_zalloc(__u64 size, int *err)
{
	__u64 words = (size + 7) / 8, i;
	__u64 __arena *p = ffkx_malloc(words * 8);

	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	for (i = ffkx_loop_from(0); i < words; i++) {
		p[i] = ffkx_opaque(0);
		cond_break;
	}
	if (i < words) {
		ffkx_free(p);
		*err = -ECANCELED;
		return NULL;
	}
	return p;
}

#endif /* FFKX_ALLOC_H */
