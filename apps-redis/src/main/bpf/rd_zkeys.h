/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keyspace's part of the sorted-set commands; rd_zset.h (the sorted-set engine) does the
 * rest through rd_zset_exec. Compiled in once rd_zset.h is there (RD_HAVE_ZSET, rd_store.h).
 *
 * The key's set is found under the bucket's lock and pinned (rd_entry.refs), so a DEL or an
 * expiry meanwhile frees it only when the command lets go. A write to a missing key links a new,
 * empty set first, allocated before locking; a string under the key gets WRONGTYPE; and the key is
 * deleted whenever its set is left empty, as Redis deletes an empty sorted set.
 */
#ifndef RD_ZKEYS_H
#define RD_ZKEYS_H

#include "rd_strings.h"

#ifdef RD_HAVE_ZSET

static __always_inline bool rd_zcmd_writes(enum rd_zcmd c)
{
	return c == RD_ZADD || c == RD_ZINCRBY || c == RD_ZREM;
}

/* A new key entry holding a new, empty sorted set, or NULL when the heap is full. */
static __always_inline struct rd_entry __arena *rd_zentry_new(struct rd_store __arena *st, const struct ffkx_text *in,
							      struct ffkx_tok key, __u32 hash)
{
	struct rd_entry __arena *e = rd_entry_new(st, in, key, hash, 0);
	struct rd_zset __arena *z;

	if (!e)
		return NULL;
	z = rd_zset_new();
	if (!z) {
		rd_entry_free((__u64)e);
		__sync_fetch_and_add(&st->oom, 1);
		return NULL;
	}
	e->type = RD_ZSET;
	e->zset = (__u64)z;
	return e;
}

/* Unlinks the key's entry if it is still e and its set is empty; the caller drops the table's reference. */
static __always_inline bool rd_zkey_drop_if_empty(struct rd_store __arena *st, const struct ffkx_text *in,
						  struct ffkx_tok key, __u32 hash, __u64 now, struct rd_entry __arena *e)
{
	struct rd_entry __arena *dead = NULL, *found;
	__u64 __arena *pprev;
	struct ffkx_lock *l = rd_lock_of(st, hash);
	unsigned long irq;
	bool gone = false;

	if (rd_zset_card((struct rd_zset __arena *)e->zset) != 0 || !l || ffkx_lock(l, &irq))
		return false;
	found = rd_find_locked(st, in, key, hash, now, &pprev, &dead);
	if (found == e) {
		rd_unlink_locked(st, pprev, e);
		gone = true;
	}
	ffkx_unlock(l, &irq);
	rd_reap(st, dead);
	return gone;
}

/*
 * Whether the fast path runs this ZADD to the end: scores it parses, and no INCR (its reply is a
 * score, whose length depends on data). Otherwise the executor would return RD_SLOW, and the
 * writes before it in the skb would run again in the slow path.
 */
__noinline int rd_zadd_fast_ok(const struct ffkx_text *in, const struct rd_argv *argv)
{
	__u32 i, argc;
	__u64 bits;

	if (!in || !argv)
		return 0;
	argc = argv->argc;
	for (i = ffkx_loop_from(2); i < argc && i < RD_MAX_ARGS; i++) {
		struct ffkx_tok t = rd_arg(argv, i);

		if (RD_WORD(in, t, "INCR"))
			return 0;
		if (!RD_WORD(in, t, "NX") && !RD_WORD(in, t, "XX") && !RD_WORD(in, t, "GT") && !RD_WORD(in, t, "LT") &&
		    !RD_WORD(in, t, "CH"))
			break;
		cond_break;
	}
	for (i = ffkx_loop_from(i); i < argc && i < RD_MAX_ARGS; i += 2) {
		if (rd_score_parse_fast(in, rd_arg(argv, i), &bits))
			return 0;
		cond_break;
	}
	return 1;
}

/* The key of a sorted-set command, between rd_zkey_acquire and rd_zkey_release. */
struct rd_zkey {
	__u64 entry; /* the key's entry, pinned; 0 for a read of a missing key */
	__u64 now;
	__u32 how;   /* enum rd_zcmd | enum rd_mode << 8 */
	__u32 hash;
};

/* Per CPU, slot 0 for the fast path (softirq), 1 for the syscall path: off the verdict's stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct rd_zkey);
} rd_zkeys SEC(".maps");

/*
 * Finds (for a write, creates) the key's set and pins it into k->entry. Returns 0 to go on, 1
 * when it answered itself (WRONGTYPE, OOM), RD_SLOW when the slow path must.
 */
__noinline int rd_zkey_acquire(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
			       __u32 *out_pos, struct rd_zkey *k)
{
	struct rd_store __arena *st = rd_store();
	struct rd_entry __arena *dead = NULL, *fresh = NULL, *e;
	struct ffkx_tok key;
	__u64 __arena *pprev;
	struct ffkx_lock *l;
	unsigned long irq;
	bool wrongtype;

	if (!st || !k || !rd_args_ok(in, argv, out, out_pos))
		return RD_SLOW;
	k->entry = 0;
	key = rd_arg(argv, 1);
	if (key.len > RD_KEY_MAX)
		return RD_SLOW;
	k->hash = ffkx_tok_hash(in, key);
	k->now = rd_now_ms(st);
	if (rd_zcmd_writes(k->how & 0xff)) {
		fresh = rd_zentry_new(st, in, key, k->hash);
		if (!fresh)
			return RD_PUT(out, out_pos, RD_ERR_OOM) ? RD_SLOW : 1;
	}
	l = rd_lock_of(st, k->hash);
	if (!l || ffkx_lock(l, &irq)) {
		rd_entry_free((__u64)fresh);
		return RD_SLOW;
	}
	e = rd_find_locked(st, in, key, k->hash, k->now, &pprev, &dead);
	wrongtype = e && e->type != RD_ZSET;
	if (!e && fresh) {
		rd_link_locked(st, fresh, NULL, pprev);
		e = fresh;
		fresh = NULL;
	}
	if (e && !wrongtype)
		__sync_fetch_and_add(&e->refs, 1);
	ffkx_unlock(l, &irq);
	rd_reap(st, dead);
	rd_entry_free((__u64)fresh);
	/* Redis checks ZADD's and ZINCRBY's arguments before the key's type; the slow path does too */
	if (wrongtype && k->how >> 8 == RD_MODE_FAST && ((k->how & 0xff) == RD_ZADD || (k->how & 0xff) == RD_ZINCRBY))
		return RD_SLOW;
	if (wrongtype)
		return RD_PUT(out, out_pos, RD_WRONGTYPE) ? RD_SLOW : 1;
	k->entry = (__u64)e;
	return 0;
}

/* Lets go of k->entry, deleting the key first if the command left its set empty. */
__noinline int rd_zkey_release(const struct ffkx_text *in, const struct rd_argv *argv, struct rd_zkey *k)
{
	struct rd_store __arena *st = rd_store();
	struct rd_entry __arena *e;

	if (!st || !in || !argv || !k || !k->entry)
		return 0;
	e = (struct rd_entry __arena *)k->entry;
	if (rd_zkey_drop_if_empty(st, in, rd_arg(argv, 1), k->hash, k->now, e))
		rd_entry_free((__u64)e); /* the table's reference */
	rd_entry_free((__u64)e);         /* this command's pin */
	return 0;
}

/*
 * A sorted-set command: how = enum rd_zcmd | enum rd_mode << 8. Inlined into its program, with the
 * key's part in functions of their own and its state in rd_zkeys: the executor's call chain needs
 * most of the 512 bytes of stack that a program's frames share.
 */
static __always_inline int rd_cmd_zset(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
				       __u32 *out_pos, __u32 how)
{
	__u32 slot = how >> 8 == RD_MODE_SYSCALL;
	struct rd_zkey *k = bpf_map_lookup_elem(&rd_zkeys, &slot);
	struct rd_entry __arena *e;
	int ret;

	if (!k)
		return RD_SLOW;
	k->how = how;
	ret = rd_zkey_acquire(in, argv, out, out_pos, k);
	if (ret)
		return ret == 1 ? 0 : RD_SLOW;
	e = (struct rd_entry __arena *)k->entry;
	ret = rd_zset_exec(how & 0xff, e ? (struct rd_zset __arena *)e->zset : NULL, how >> 8, in, argv, out, out_pos);
	rd_zkey_release(in, argv, k);
	if (ret == -ENOMEM)
		return RD_PUT(out, out_pos, RD_ERR_OOM) ? RD_SLOW : 0;
	return ret >= 0 ? 0 : RD_SLOW;
}

#endif /* RD_HAVE_ZSET */
#endif /* RD_ZKEYS_H */
