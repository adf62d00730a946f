/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every lock of the library, in one place so that the kernel feature it needs
 * (bpf_res_spin_lock, 6.15) is checked by one probe and named in one error.
 *
 * Locks cannot live in the heap: the verifier only accepts a
 * bpf_res_spin_lock inside a map value. So structures share a fixed array of
 * lock stripes, and a structure picks the stripe of the thing it guards (a
 * bucket, a list) by hashing its heap address.
 *
 * rqspinlock can fail (-EDEADLK when this CPU already holds it, -ETIMEDOUT
 * after it gave up waiting): ffkx_lock's result must be checked, and a failed
 * operation returns that error instead of going on unlocked.
 *
 * Interrupts stay disabled while a lock is held. A softirq program (XDP, tc)
 * that interrupted a holder on the same CPU would otherwise spin on the lock,
 * or on a sequence count the holder left odd, until the holder runs again,
 * which it cannot while the softirq runs.
 *
 * Held, a lock forbids helper calls (ffkx_malloc calls one) and global
 * functions: allocate before locking and free after unlocking.
 */
#ifndef FFKX_LOCK_H
#define FFKX_LOCK_H

#include "common.h"

int bpf_res_spin_lock_irqsave(struct bpf_res_spin_lock *lock, unsigned long *flags) __ksym __weak;
void bpf_res_spin_unlock_irqrestore(struct bpf_res_spin_lock *lock, unsigned long *flags) __ksym __weak;

#define FFKX_LOCK_STRIPES_SHIFT 10
#define FFKX_LOCK_STRIPES       (1U << FFKX_LOCK_STRIPES_SHIFT)

struct ffkx_lock {
	struct bpf_res_spin_lock lock;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FFKX_LOCK_STRIPES);
	__type(key, __u32);
	__type(value, struct ffkx_lock);
} ffkx_locks SEC(".maps");

/* The stripe guarding heap address addr (NULL never happens, but the verifier wants the check). */
static __always_inline struct ffkx_lock *ffkx_lock_for(const void __arena *addr)
{
	__u32 stripe = (__u32)(((__u64)addr * 0x9E3779B97F4A7C15ULL) >> (64 - FFKX_LOCK_STRIPES_SHIFT));

	return bpf_map_lookup_elem(&ffkx_locks, &stripe);
}

/* 0 when held; else -EDEADLK or -ETIMEDOUT and the lock is not held. */
static __always_inline int ffkx_lock(struct ffkx_lock *l, unsigned long *irq_flags)
{
	return bpf_res_spin_lock_irqsave(&l->lock, irq_flags);
}

static __always_inline void ffkx_unlock(struct ffkx_lock *l, unsigned long *irq_flags)
{
	bpf_res_spin_unlock_irqrestore(&l->lock, irq_flags);
}

#endif /* FFKX_LOCK_H */
