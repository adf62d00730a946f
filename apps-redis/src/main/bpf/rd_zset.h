/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Redis sorted sets in the extension heap, and the executor of the Z* commands.
 *
 * A zset is a skiplist (ffkx/skiplist.h) ordered as Redis orders it (ffkx/score.h): each node's
 * key is the score's bits and the member, its value the member's hash. Beside it, an open
 * addressing table of node addresses indexed by that hash finds a member's node in O(1), so
 * ZSCORE is O(1) and ZADD's update, ZREM and ZRANK O(log n), as in Redis. The table doubles
 * (rehashing into a fresh array, dropping deleted slots) before it gets half full; a rehash that
 * runs out of loop budget is abandoned, leaving the old table whole.
 *
 * rd_zset_exec(cmd, z, mode, in, argv, out, out_pos) runs one command. argv[0] is its name,
 * argv[1] the key, which the caller resolved to z: NULL for a missing key on reads; for writes
 * (ZADD, ZINCRBY, ZREM) the caller creates z first and deletes the key when rd_zset_card(z) is 0
 * afterwards. The caller has checked the arity and the type. It returns
 *   >= 0     the RESP2 reply appended to out at *out_pos;
 *   RD_SLOW  nothing changed: the slow path must answer (RD_MODE_FAST only);
 *   -ENOMEM  the heap is full; nothing changed (Redis without maxmemory never refuses; Java
 *            answers with Redis' OOM error);
 *   -EAGAIN  the zset's lock or a loop budget gave out: in RD_MODE_SYSCALL with nothing changed
 *            (retry); in either mode after a ZADD or ZREM of several members, which take the lock
 *            per member, got part of the way: the members before the one that failed stay done,
 *            and the caller answers with an error (not seen in tests: it takes a lock timeout or
 *            a spent loop budget between two members);
 *   -ENOSPC  (RD_MODE_SYSCALL) fewer than RD_ZREPLY_ROOM bytes left in out; nothing changed. In
 *            RD_MODE_FAST that is RD_SLOW.
 *
 * Commands, beyond Redis':
 *   RD_ZRANGE  by index only, "start stop [WITHSCORES]"; any other form is RD_SLOW (the slow path
 *              turns BYSCORE, REV and LIMIT into ZCOUNT and index ranges). In RD_MODE_FAST a
 *              reply that does not fit out is RD_SLOW; in RD_MODE_SYSCALL the reply is the
 *              elements from start on that fit, *without* the array header, at least one: Java
 *              asks again from where it stopped.
 *   RD_ZCOUNT  Redis' ZCOUNT key min max; "(" makes a bound exclusive.
 * Scores, in arguments and replies, as rd_score.h says: fast mode takes integers and infinities,
 * syscall mode '#' bits in and ',' bits out. ZINCRBY and ZADD INCR add in the kernel in both modes
 * (rd_score_add is exact); in fast mode a sum it cannot print is RD_SLOW, before anything changed.
 *
 * Concurrency: the zset's lock stripe (ffkx/lock.h) guards every read and write of it. ZADD and
 * ZREM take it once per member (the verifier allows no call to a global function under a lock,
 * and one command's relinking for 31 members inlined is more than it can verify), so a reader on
 * another CPU may see a multi-member ZADD half done; every single member's change is atomic.
 * Nodes are allocated before the lock and freed after it: ZADD allocates one node per pair up
 * front and frees those that updates did not need. A long range the slow path reads in chunks is
 * not one snapshot if the fast path writes between the chunks, and neither are the ZCOUNTs and
 * the ranges a BYSCORE query becomes.
 *
 * Redis' encodings show in one place: a listpack stores -0 as 0, a skiplist keeps -0. rd_zset
 * tracks which of the two Redis 7.0 would hold (see `listpack`), so ZSCORE agrees byte for byte.
 * A zset too large for one run's loop budget leaks its nodes when destroyed.
 */
#ifndef RD_ZSET_H
#define RD_ZSET_H

#include <ffkx/alloc.h>
#include <ffkx/lock.h>
#include <ffkx/skiplist.h>
#include "rd_cmd.h"
#include "rd_score.h"

enum rd_zcmd {
	RD_ZADD,
	RD_ZINCRBY,
	RD_ZSCORE,
	RD_ZCARD,
	RD_ZRANK,
	RD_ZREM,
	RD_ZRANGE,
	RD_ZCOUNT,
};

#define RD_ZPAIRS_MAX ((RD_MAX_ARGS - 2) / 2) /* ZADD key score member ... */
#define RD_ZPAIR_MASK 31                        /* indexes per-pair arrays: a mask bounds, % does not */
#define RD_ZTABLE_MIN 16
#define RD_ZTOMB      1ULL /* a deleted slot */
#define RD_ZREPLY_ROOM 80  /* the longest reply but a range's: an error line, or a bulk score */

struct rd_zset {
	struct ffkx_skiplist sl;
	__u64 table; /* heap address of mask + 1 slots: node addresses, 0 (empty) or RD_ZTOMB */
	__u32 mask;
	__u32 used;  /* slots not empty: members and tombstones */
	__u64 probe; /* a score-only key for ZCOUNT's searches, written under the lock */
	/*
	 * Whether Redis would still hold this set as a listpack, which stores -0 as 0 (a skiplist
	 * keeps -0). Redis 7.0 converts for good when a new member would be entry 129, or longer
	 * than 64 bytes (zset-max-listpack-entries/value at their defaults), or when the command
	 * creating the key names such a member first.
	 */
	__u32 listpack;
	__u32 reserved;
};

#define RD_ZLISTPACK_ENTRIES 128
#define RD_ZLISTPACK_VALUE   64

FFKX_SKIPLIST_DEFINE(rd_zsl, ffkx_zset_cmp)

/* One command's working set, per CPU; slot 0 for the fast path (softirq), 1 for the syscall path. */
struct rd_zscratch {
	__u64 score[RD_ZPAIR_MASK + 1];
	__u64 node[RD_MAX_ARGS];  /* nodes allocated for ZADD, nodes ZREM unlinked: freed after unlock */
	__u32 hash[RD_MAX_ARGS];
	__u64 table;              /* ZADD: a grown table to install; afterwards, a table to free */
	__u32 flags;              /* ZADD: RD_ZF_* */
	__u32 changed;            /* ZADD, ZREM: a member was changed (in memory the verifier does not track) */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct rd_zscratch);
} rd_zscratch SEC(".maps");

#define RD_REPLY(out, pos, lit) (FFKX_TEXT_PUT_LIT(out, pos, lit) ? -ENOSPC : 0)

static __always_inline struct rd_zset __arena *rd_zset_of(__u64 z)
{
	return (struct rd_zset __arena *)(unsigned long)z;
}

static __always_inline struct ffkx_sl_node __arena *rd_znode(__u64 a)
{
	return (struct ffkx_sl_node __arena *)(unsigned long)a;
}

static __always_inline __u64 rd_znode_score(struct ffkx_sl_node __arena *n)
{
	return *(__u64 __arena *)ffkx_sl_key(n);
}

static __always_inline __u32 rd_znode_hash(struct ffkx_sl_node __arena *n)
{
	return *(__u32 __arena *)ffkx_sl_value(n);
}

/*
 * A zeroed table of n (a power of two) slots, or 0. Not inlined: the allocator verified for a
 * size it cannot pin down fans out over the size classes (see ffkx_sl_node_alloc).
 */
__noinline __u64 rd_ztable_new(__u32 n)
{
	__u64 __arena *t = ffkx_malloc((__u64)n * 8);
	__u32 i;

	if (!t)
		return 0;
	for (i = ffkx_loop_from(0); i < n; i++) {
		t[i] = ffkx_opaque(0);
		cond_break;
	}
	if (i < n) {
		ffkx_free(t);
		return 0;
	}
	return (__u64)t;
}

__noinline __u64 rd_zset_alloc(void)
{
	struct rd_zset __arena *z = ffkx_malloc(sizeof(*z));
	__u64 t;

	if (!z)
		return 0;
	t = rd_ztable_new(RD_ZTABLE_MIN);
	if (!t) {
		ffkx_free(z);
		return 0;
	}
	ffkx_skiplist_init(&z->sl);
	z->table = t;
	z->mask = RD_ZTABLE_MIN - 1;
	z->used = ffkx_opaque(0);
	z->probe = ffkx_opaque(0);
	z->listpack = ffkx_opaque(1);
	z->reserved = ffkx_opaque(0);
	return (__u64)z;
}

/* An empty zset, or NULL when the heap is full. */
static __always_inline struct rd_zset __arena *rd_zset_new(void)
{
	return rd_zset_of(rd_zset_alloc());
}

/* Frees every node, the table and the zset. A zset too large for one run's loop budget leaks. */
__noinline int rd_zset_free(__u64 za)
{
	struct rd_zset __arena *z = rd_zset_of(za);
	struct ffkx_sl_node __arena *n, *next;

	if (!z)
		return 0;
	n = ffkx_skiplist_first(&z->sl);
	while (n && can_loop) {
		next = ffkx_sl_next(n);
		ffkx_free(n);
		n = next;
	}
	if (n)
		return -ECANCELED;
	ffkx_free((void __arena *)(unsigned long)z->table);
	ffkx_free(z);
	return 0;
}

static __always_inline void rd_zset_destroy(struct rd_zset __arena *z)
{
	rd_zset_free((__u64)z);
}

static __always_inline __u64 rd_zset_card(struct rd_zset __arena *z)
{
	return z ? ffkx_skiplist_length(&z->sl) : 0;
}

/* 1 when node n holds the member at [off, off + len) of in, 0 when not, -ECANCELED. */
static __always_inline int rd_zmember_eq(struct ffkx_sl_node __arena *n, const struct ffkx_text *in, __u32 off,
					 __u32 len)
{
	const __u8 __arena *k = (const __u8 __arena *)ffkx_sl_key(n) + 8;
	__u32 i;

	if (n->key_size != 8 + len)
		return 0;
	for (i = ffkx_loop_from(0); i < len && i < FFKX_TEXT_BUF; i++) {
		if (k[i] != ffkx_text_at(in, off + i))
			return 0;
		cond_break;
	}
	return i >= len ? 1 : -ECANCELED;
}

/*
 * Finds the member's node (*found, 0 if none) and a slot: its own, or the first free one on its
 * probe sequence, to insert it at. 0 or -ECANCELED.
 */
static __always_inline int rd_zfind(struct rd_zset __arena *z, const struct ffkx_text *in, struct ffkx_tok m,
				    __u32 h, __u64 *found, __u32 *slot)
{
	__u64 __arena *tab = (__u64 __arena *)(unsigned long)z->table;
	__u32 mask = z->mask, i = h & mask, free = ~0U, n;
	__u64 e;
	int eq;

	for (n = ffkx_loop_from(0); n <= mask; n++) {
		e = tab[i & mask];
		if (!e) {
			*found = 0;
			*slot = free != ~0U ? free : i;
			return 0;
		}
		if (e == RD_ZTOMB) {
			if (free == ~0U)
				free = i;
		} else if (rd_znode_hash(rd_znode(e)) == h) {
			eq = rd_zmember_eq(rd_znode(e), in, m.off, m.len);
			if (eq < 0)
				return eq;
			if (eq) {
				*found = e;
				*slot = i;
				return 0;
			}
		}
		i = (i + 1) & mask;
		cond_break;
	}
	if (n > mask && free != ~0U) {
		*found = 0;
		*slot = free;
		return 0;
	}
	return -ECANCELED;
}

static __always_inline void rd_ztable_put(struct rd_zset __arena *z, __u32 slot, __u64 node)
{
	__u64 __arena *tab = (__u64 __arena *)(unsigned long)z->table;

	if (!tab[slot & z->mask])
		z->used++;
	tab[slot & z->mask] = node;
}

/* Moves every member into the zeroed table t of n slots and installs it. 0 or -ECANCELED. */
static __always_inline int rd_ztable_rehash(struct rd_zset __arena *z, __u64 t, __u32 n)
{
	__u64 __arena *old = (__u64 __arena *)(unsigned long)z->table;
	__u64 __arena *tab = (__u64 __arena *)(unsigned long)t;
	__u32 mask = n - 1, i, j, k;
	__u64 e;

	for (i = ffkx_loop_from(0); i <= z->mask; i++) {
		e = old[i];
		if (e > RD_ZTOMB) {
			j = rd_znode_hash(rd_znode(e)) & mask;
			for (k = ffkx_loop_from(0); k <= mask && tab[j]; k++) {
				j = (j + 1) & mask;
				cond_break;
			}
			if (tab[j])
				return -ECANCELED;
			tab[j] = e;
		}
		cond_break;
	}
	if (i <= z->mask)
		return -ECANCELED;
	z->table = t;
	z->mask = mask;
	z->used = z->sl.length;
	return 0;
}

/* Slots of a table for `members`: at most a quarter full after a doubling. */
static __always_inline __u32 rd_ztable_size(__u64 members)
{
	__u32 n = RD_ZTABLE_MIN;

	while (n < members * 4 && n < (1U << 30))
		n <<= 1;
	return n;
}

static __always_inline int rd_zlock(struct rd_zset __arena *z, struct ffkx_lock **l, unsigned long *irq)
{
	*l = ffkx_lock_for(z);
	if (!*l || ffkx_lock(*l, irq))
		return -EAGAIN;
	return 0;
}

/* An index into per-argument arrays, laundered for the same reason as in rd_arg. */
#define RD_IX(i) ffkx_loop_from(i)

/* Case-insensitive comparison of argument i with an upper-case word. */
#define RD_ARG_IS(in, argv, i, word) RD_WORD(in, rd_arg(argv, i), word)

/* "$len\r\n" and a member's bytes from its node and "\r\n". */
static __always_inline int rd_put_member(struct ffkx_text *out, __u32 *pos, struct ffkx_sl_node __arena *n)
{
	const __u8 __arena *k = (const __u8 __arena *)ffkx_sl_key(n) + 8;
	__u32 len = n->key_size - 8, p = *pos, i;

	if (len > FFKX_TEXT_BUF || p + len + 9 > FFKX_TEXT_BUF)
		return -ENOSPC;
	if (FFKX_TEXT_PUT_LIT(out, &p, "$") || ffkx_text_put_u64(out, &p, len) || FFKX_TEXT_PUT_LIT(out, &p, "\r\n"))
		return -ENOSPC;
	if (p + len + 2 > FFKX_TEXT_BUF)
		return -ENOSPC;
	for (i = ffkx_loop_from(0); i < len && i < FFKX_TEXT_BUF; i++) {
		out->b[(p + i) & FFKX_TEXT_MASK] = k[i];
		cond_break;
	}
	if (i < len)
		return -ECANCELED;
	p = ffkx_text_pos(p + len);
	if (FFKX_TEXT_PUT_LIT(out, &p, "\r\n"))
		return -ENOSPC;
	*pos = p;
	return 0;
}

static __always_inline int rd_put_int(struct ffkx_text *out, __u32 *pos, char type, __u64 v)
{
	__u32 p = *pos;
	__u8 c = type;

	if (ffkx_text_put(out, &p, &c, 1) || ffkx_text_put_u64(out, &p, v) || FFKX_TEXT_PUT_LIT(out, &p, "\r\n"))
		return -ENOSPC;
	*pos = p;
	return 0;
}

/* What a failure becomes: in fast mode anything but a full heap goes to the slow path. */
static __always_inline int rd_zfail(int err, bool syscall)
{
	if (err == -ENOMEM)
		return err;
	if (!syscall)
		return RD_SLOW;
	return err == -ECANCELED ? -EAGAIN : err;
}

enum {
	RD_ZF_NX = 1,
	RD_ZF_XX = 2,
	RD_ZF_GT = 4,
	RD_ZF_LT = 8,
	RD_ZF_CH = 16,
	RD_ZF_INCR = 32,
};

enum {
	RD_ZOUT_ADDED = 1,
	RD_ZOUT_UPDATED = 2,
	RD_ZOUT_NOP = 4,
	RD_ZOUT_NAN = 8,
	RD_ZOUT_SLOW = 16, /* fast mode: the new score would not print */
};

/*
 * zsetAdd of Redis 7.0 for one pair, under the lock: new is the node allocated for it (key = the
 * score, value = the hash), used only when the member is new. Returns RD_ZOUT_* or -ECANCELED;
 * *score gets the resulting score.
 */
/*
 * What zsetAdd does with one pair, decided before anything changes: RD_ZOUT_* (0 when the member
 * stays with the same score), with *s the resulting score. cur is the member's score if found.
 */
static __always_inline int rd_zadd_decide(__u32 flags, bool syscall, bool found, __u64 cur, __u64 *s)
{
	__u64 v = *s, mag;
	bool neg;

	if (found && (flags & RD_ZF_NX))
		return RD_ZOUT_NOP;
	if (!found && (flags & RD_ZF_XX))
		return RD_ZOUT_NOP;
	if (found && (flags & RD_ZF_INCR)) {
		v = rd_score_add(cur, v);
		if (rd_score_is_nan(v))
			return RD_ZOUT_NAN;
	}
	if (found && (((flags & RD_ZF_LT) && ffkx_score_order(v) >= ffkx_score_order(cur)) ||
		      ((flags & RD_ZF_GT) && ffkx_score_order(v) <= ffkx_score_order(cur))))
		return RD_ZOUT_NOP;
	/* Fast mode replies the score of an INCR: one it cannot print changes nothing. */
	if ((flags & RD_ZF_INCR) && !syscall && rd_score_integral(v, &mag, &neg) < 0)
		return RD_ZOUT_SLOW;
	*s = v;
	if (!found)
		return RD_ZOUT_ADDED;
	return ffkx_score_order(v) == ffkx_score_order(cur) ? 0 : RD_ZOUT_UPDATED;
}

/*
 * zsetAdd of Redis 7.0 for one pair, under the lock: new is the node allocated for it (key = the
 * score, value = the hash), used only when the member is new. Returns RD_ZOUT_* or -ECANCELED;
 * *score gets the resulting score. The decision's results are made opaque before the skiplist
 * changes, so the verifier walks the relinking once rather than once per way of getting there.
 */
static __always_inline int rd_zadd_one(struct rd_zset __arena *z, __u32 flags, bool syscall, const struct ffkx_text *in,
				       struct ffkx_tok m, __u32 h, __u64 *score, __u64 new)
{
	struct ffkx_sl_node __arena *n, *ex;
	__u64 found, cur = 0, s = *score;
	__u32 slot;
	int err, r;

	err = rd_zfind(z, in, m, h, &found, &slot);
	if (err)
		return err;
	if (found)
		cur = rd_znode_score(rd_znode(found));
	r = ffkx_opaque(rd_zadd_decide(flags, syscall, found != 0, cur, &s));
	s = ffkx_opaque(s);
	found = ffkx_opaque(found);
	*score = s;
	if (!(r & (RD_ZOUT_ADDED | RD_ZOUT_UPDATED)))
		return r;
	n = rd_znode(r & RD_ZOUT_UPDATED ? found : new);
	if (r & RD_ZOUT_UPDATED) {
		err = rd_zsl_remove(&z->sl, ffkx_sl_key(n), n->key_size, &ex);
		if (err)
			return err;
	}
	if ((r & RD_ZOUT_ADDED) && (z->sl.length + 1 > RD_ZLISTPACK_ENTRIES || m.len > RD_ZLISTPACK_VALUE))
		z->listpack = 0;
	*(__u64 __arena *)ffkx_sl_key(n) = z->listpack && s == FFKX_SCORE_SIGN ? 0 : s;
	/* A node just unlinked, or a member not in the set: no equal key to meet. */
	err = rd_zsl_insert(&z->sl, n, &ex);
	if (err)
		return err;
	if (r & RD_ZOUT_ADDED)
		rd_ztable_put(z, slot, new);
	return r;
}

/* A node for member m with hash h, key score not yet written; 0 when the heap is full. */
static __always_inline __u64 rd_znode_new(const struct ffkx_text *in, struct ffkx_tok m, __u32 h)
{
	struct ffkx_sl_node __arena *n = ffkx_sl_node_alloc(8 + m.len, 8);
	__u8 __arena *k;
	__u32 i, len = m.len;

	if (!n)
		return 0;
	k = (__u8 __arena *)ffkx_sl_key(n) + 8;
	for (i = ffkx_loop_from(0); i < len && i < FFKX_TEXT_BUF; i++) {
		k[i] = ffkx_text_at(in, m.off + i);
		cond_break;
	}
	if (i < len) {
		ffkx_free(n);
		return 0;
	}
	*(__u64 __arena *)ffkx_sl_value(n) = h;
	return (__u64)n;
}

static __always_inline struct rd_zscratch *rd_zscratch_get(bool syscall)
{
	__u32 key = syscall;

	return bpf_map_lookup_elem(&rd_zscratch, &key);
}

/* Frees what the command left in the scratch: unused nodes (n of them) and a table. */
__noinline int rd_zscratch_release(struct rd_zscratch *s, __u32 n)
{
	__u32 i;

	if (!s)
		return 0;
	for (i = ffkx_loop_from(0); i < n && i < RD_MAX_ARGS; i++) {
		if (s->node[RD_IX(i) % RD_MAX_ARGS]) {
			ffkx_free((void __arena *)(unsigned long)s->node[RD_IX(i) % RD_MAX_ARGS]);
			s->node[RD_IX(i) % RD_MAX_ARGS] = 0;
		}
		cond_break;
	}
	if (s->table) {
		ffkx_free((void __arena *)(unsigned long)s->table);
		s->table = 0;
	}
	return 0;
}

/*
 * ZADD's options into s->flags (a map value: the verifier does not track what it holds, so each
 * combination of flags is not a state of its own). Returns the first argument after them.
 */
__noinline int rd_zadd_flags(const struct ffkx_text *in, const struct rd_argv *argv, struct rd_zscratch *s)
{
	__u32 i, argc;

	if (!in || !argv || !s)
		return -EINVAL;
	argc = argv->argc;
	s->flags = 0;
	for (i = ffkx_loop_from(2); i < argc && i < RD_MAX_ARGS; i++) {
		if (RD_ARG_IS(in, argv, i, "NX"))
			s->flags |= RD_ZF_NX;
		else if (RD_ARG_IS(in, argv, i, "XX"))
			s->flags |= RD_ZF_XX;
		else if (RD_ARG_IS(in, argv, i, "GT"))
			s->flags |= RD_ZF_GT;
		else if (RD_ARG_IS(in, argv, i, "LT"))
			s->flags |= RD_ZF_LT;
		else if (RD_ARG_IS(in, argv, i, "CH"))
			s->flags |= RD_ZF_CH;
		else if (RD_ARG_IS(in, argv, i, "INCR"))
			s->flags |= RD_ZF_INCR;
		else
			return i;
		cond_break;
	}
	return i < argc ? -ECANCELED : (int)i;
}

/*
 * ZADD's scores and member hashes into the scratch, for `pairs` pairs from argument `first`
 * (packed in op with the mode): 0, -EINVAL for a score the mode does not take, -ECANCELED.
 */
__noinline int rd_zadd_scores(__u32 op, const struct ffkx_text *in, const struct rd_argv *argv, struct rd_zscratch *s)
{
	__u32 first = op & 0xff, pairs = (op >> 8) & 0xff, i;
	bool syscall = op >> 16;

	if (!in || !argv || !s)
		return -EINVAL;
	for (i = ffkx_loop_from(0); i < pairs && i < RD_ZPAIRS_MAX; i++) {
		if (rd_score_parse(in, rd_arg(argv, first + 2 * i), syscall, &s->score[RD_IX(i) & RD_ZPAIR_MASK]))
			return -EINVAL;
		s->hash[RD_IX(i) & RD_ZPAIR_MASK] = ffkx_tok_hash(in, rd_arg(argv, first + 2 * i + 1));
		cond_break;
	}
	return i < pairs ? -ECANCELED : 0;
}

/* A node per pair, in the scratch: 0, -ENOMEM or -ECANCELED, with what was allocated left there. */
__noinline int rd_zadd_nodes(__u32 op, const struct ffkx_text *in, const struct rd_argv *argv, struct rd_zscratch *s)
{
	__u32 first = op & 0xff, pairs = (op >> 8) & 0xff, i;
	__u64 n;

	if (!in || !argv || !s)
		return -EINVAL;
	for (i = ffkx_loop_from(0); i < pairs && i < RD_ZPAIRS_MAX; i++) {
		n = rd_znode_new(in, rd_arg(argv, first + 2 * i + 1), s->hash[RD_IX(i) & RD_ZPAIR_MASK]);
		s->node[RD_IX(i) % RD_MAX_ARGS] = n;
		if (!n)
			return -ENOMEM;
		cond_break;
	}
	return i < pairs ? -ECANCELED : 0;
}

/*
 * Installs the table s->table (tsize slots) if the zset still needs room for `pairs` more
 * members and it is large enough; s->table is then the old table, for the caller to free.
 * Another CPU may have grown the table meanwhile, or outgrown ours: then ours is freed. A rehash
 * that runs out of budget leaves the old table. 0 or -EAGAIN (the lock).
 */
__noinline int rd_ztable_grow(__u64 za, __u32 pairs, __u32 tsize, struct rd_zscratch *s)
{
	struct rd_zset __arena *z = rd_zset_of(za);
	struct ffkx_lock *l;
	unsigned long irq;
	__u64 old;

	if (!z || !s)
		return -EINVAL;
	if (rd_zlock(z, &l, &irq))
		return -EAGAIN;
	if ((z->used + pairs) * 2 > z->mask + 1 && (z->sl.length + pairs) * 2 <= tsize) {
		old = z->table;
		if (!rd_ztable_rehash(z, s->table, tsize))
			s->table = old;
	}
	ffkx_unlock(l, &irq);
	return 0;
}

/*
 * One pair of a ZADD under the zset's lock. op packs the flags (bits 0-7), the mode (8), the
 * member's argument (16-23) and the pair (24-31). Returns RD_ZOUT_* or -errno; s->score[pair]
 * becomes the resulting score.
 */
__noinline int rd_zadd_pair(__u64 za, __u32 op, const struct ffkx_text *in, const struct rd_argv *argv,
			    struct rd_zscratch *s)
{
	struct rd_zset __arena *z = rd_zset_of(za);
	__u32 pair = (op >> 24) & RD_ZPAIR_MASK;
	struct ffkx_lock *l;
	unsigned long irq;
	__u64 score;
	int r;

	if (!z || !in || !argv || !s)
		return -EINVAL;
	if (rd_zlock(z, &l, &irq))
		return -EAGAIN;
	score = s->score[pair];
	r = rd_zadd_one(z, op & 0xff, (op >> 8) & 1, in, rd_arg(argv, (op >> 16) & 0xff), s->hash[pair], &score,
			s->node[pair]);
	ffkx_unlock(l, &irq);
	s->score[pair] = score;
	if (r > 0 && (r & (RD_ZOUT_ADDED | RD_ZOUT_UPDATED)))
		s->changed = 1;
	return r;
}

/* ZADD and ZINCRBY (incr set, pairs from argument 2). */
static __always_inline int rd_zadd_do(__u64 za, __u32 mode, const struct ffkx_text *in, const struct rd_argv *argv,
				      struct ffkx_text *out, __u32 *out_pos, __u32 zincrby)
{
	struct rd_zset __arena *z = rd_zset_of(za);
	bool syscall = mode == RD_MODE_SYSCALL;
	__u32 flags = zincrby ? RD_ZF_INCR : 0, argc, first, pairs, i, added = 0, updated = 0, processed = 0, nan = 0;
	struct rd_zscratch *s;
	__u32 tsize;
	int err = 0, r;

	if (!z)
		return -EINVAL;
	s = rd_zscratch_get(syscall);
	if (!s)
		return -EINVAL;
	argc = argv->argc;
	if (argc > RD_MAX_ARGS)
		return rd_zfail(-E2BIG, syscall);
	first = 2;
	if (!zincrby) {
		r = rd_zadd_flags(in, argv, s);
		if (r < 0)
			return rd_zfail(r, syscall);
		first = r;
		flags = s->flags;
	}
	if (argc <= first || (argc - first) % 2)
		return RD_REPLY(out, out_pos, "-ERR syntax error\r\n");
	pairs = (argc - first) / 2;
	if ((flags & RD_ZF_NX) && (flags & RD_ZF_XX))
		return RD_REPLY(out, out_pos, "-ERR XX and NX options at the same time are not compatible\r\n");
	if ((flags & RD_ZF_NX ? 1 : 0) + (flags & RD_ZF_GT ? 1 : 0) + (flags & RD_ZF_LT ? 1 : 0) > 1)
		return RD_REPLY(out, out_pos, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
	if ((flags & RD_ZF_INCR) && pairs > 1)
		return RD_REPLY(out, out_pos, "-ERR INCR option supports a single increment-element pair\r\n");
	err = rd_zadd_scores(first | pairs << 8 | syscall << 16, in, argv, s);
	if (err == -EINVAL)
		return syscall ? RD_REPLY(out, out_pos, "-ERR value is not a valid float\r\n") : RD_SLOW;
	if (err)
		return rd_zfail(err, syscall);
	/* Everything that may be needed is allocated before the lock. */
	err = rd_zadd_nodes(first | pairs << 8, in, argv, s);
	/* A key this command creates starts as a skiplist in Redis if its first member is long. */
	if (!z->sl.length && rd_arg(argv, first + 1).len > RD_ZLISTPACK_VALUE)
		z->listpack = 0;
	tsize = rd_ztable_size(z->sl.length + pairs);
	if (!err && (z->used + pairs) * 2 > z->mask + 1) {
		s->table = rd_ztable_new(tsize);
		if (!s->table)
			err = -ENOMEM;
	}
	if (!err && s->table)
		err = rd_ztable_grow(za, pairs, tsize, s);
	if (err) {
		rd_zscratch_release(s, pairs);
		return rd_zfail(err, syscall);
	}
	s->changed = 0;
	for (i = ffkx_loop_from(0); i < pairs && i < RD_ZPAIRS_MAX; i++) {
		r = rd_zadd_pair(za, flags | syscall << 8 | (first + 2 * i + 1) << 16 | i << 24, in, argv, s);
		if (r < 0 || (r & (RD_ZOUT_SLOW | RD_ZOUT_NAN))) {
			/* A lone INCR pair stops here before it changed anything; see the top for the rest. */
			err = r < 0 ? r : 0;
			nan = r > 0 && (r & RD_ZOUT_NAN);
			if (r > 0 && (r & RD_ZOUT_SLOW))
				err = -ECANCELED;
			break;
		}
		if (r & RD_ZOUT_ADDED) {
			added++;
			s->node[RD_IX(i) % RD_MAX_ARGS] = 0;
		}
		if (r & RD_ZOUT_UPDATED)
			updated++;
		if (!(r & RD_ZOUT_NOP))
			processed++;
		cond_break;
	}
	rd_zscratch_release(s, pairs);
	if ((err || i < pairs) && s->changed)
		return -EAGAIN; /* not RD_SLOW: something changed */
	if (err)
		return rd_zfail(err, syscall);
	if (nan)
		return RD_REPLY(out, out_pos, "-ERR resulting score is not a number (NaN)\r\n");
	if (i < pairs)
		return rd_zfail(-ECANCELED, syscall);
	if (flags & RD_ZF_INCR) {
		if (!processed)
			return RD_REPLY(out, out_pos, "$-1\r\n");
		return rd_score_put(out, out_pos, s->score[0], syscall) ? -ENOSPC : 0;
	}
	return rd_put_int(out, out_pos, ':', flags & RD_ZF_CH ? added + updated : added);
}

/* The number of members scoring below bits, or not above it with or_equal. Under the lock. */
static __always_inline long rd_zbelow(struct rd_zset __arena *z, __u64 bits, bool or_equal)
{
	struct ffkx_sl_node __arena *x;
	bool eq;
	__u32 r;
	int err;

	if (or_equal) {
		if (bits == RD_SCORE_INF)
			return z->sl.length;
		bits = ffkx_score_next_up(bits);
	}
	/* The empty member sorts first, so (bits, "") is the least key with that score. */
	z->probe = bits;
	err = __ffkx_sl_descend(&z->sl, &z->probe, 8, false, ffkx_zset_cmp, false, &x, &r, &eq);
	return err ? err : r;
}

/* A ZCOUNT bound: an optional '(' (exclusive), then a score. */
static __always_inline int rd_zbound_parse(const struct ffkx_text *in, struct ffkx_tok tok, bool syscall, __u64 *bits,
					   bool *excl)
{
	*excl = tok.len && ffkx_text_at(in, tok.off) == '(';
	if (*excl) {
		tok.off++;
		tok.len--;
	}
	return rd_score_parse(in, tok, syscall, bits);
}

/*
 * An index as Redis' string2ll reads it: "0", or an optional '-' and digits without a leading
 * zero. Up to 18 digits here, which no zset reaches; longer ones are the slow path's.
 */
static __always_inline int rd_tok_index(const struct ffkx_text *in, struct ffkx_tok tok, __s64 *out)
{
	bool neg = tok.len > 1 && ffkx_text_at(in, tok.off) == '-';
	struct ffkx_tok mag = { .off = tok.off + neg, .len = tok.len - neg };
	__u64 v;

	if (mag.len == 0 || mag.len > 18 || (ffkx_text_at(in, mag.off) == '0' && (mag.len > 1 || neg)))
		return -EINVAL;
	if (ffkx_tok_u64(in, mag, &v))
		return -EINVAL;
	*out = neg ? -(__s64)v : (__s64)v;
	return 0;
}

/* ZSCORE, ZCARD, ZRANK and ZCOUNT. */
static __always_inline int rd_zread_do(__u32 cmd, __u64 za, __u32 mode, const struct ffkx_text *in,
				       const struct rd_argv *argv, struct ffkx_text *out, __u32 *out_pos)
{
	struct rd_zset __arena *z = rd_zset_of(za);
	bool syscall = mode == RD_MODE_SYSCALL, lo_excl = false, hi_excl = false;
	__u64 found = 0, score = 0, lo_bits = 0, hi_bits = 0;
	struct ffkx_sl_node __arena *n;
	struct ffkx_tok m;
	struct ffkx_lock *l;
	unsigned long irq;
	long lo = 0, hi = 0, rank = 0;
	__u32 slot, h;
	int err;

	if (cmd == RD_ZCARD)
		return rd_put_int(out, out_pos, ':', rd_zset_card(z));
	if (cmd == RD_ZCOUNT) {
		if (rd_zbound_parse(in, rd_arg(argv, 2), syscall, &lo_bits, &lo_excl) ||
		    rd_zbound_parse(in, rd_arg(argv, 3), syscall, &hi_bits, &hi_excl))
			return syscall ? RD_REPLY(out, out_pos, "-ERR min or max is not a float\r\n") : RD_SLOW;
		if (!z)
			return RD_REPLY(out, out_pos, ":0\r\n");
		err = rd_zlock(z, &l, &irq);
		if (err)
			return rd_zfail(err, syscall);
		lo = rd_zbelow(z, lo_bits, lo_excl);
		if (lo >= 0)
			hi = rd_zbelow(z, hi_bits, !hi_excl);
		ffkx_unlock(l, &irq);
		if (lo < 0 || hi < 0)
			return rd_zfail(-ECANCELED, syscall);
		return rd_put_int(out, out_pos, ':', hi > lo ? hi - lo : 0);
	}
	if (!z)
		return RD_REPLY(out, out_pos, "$-1\r\n");
	m = rd_arg(argv, 2);
	h = ffkx_tok_hash(in, m);
	err = rd_zlock(z, &l, &irq);
	if (err)
		return rd_zfail(err, syscall);
	err = rd_zfind(z, in, m, h, &found, &slot);
	if (!err && found) {
		n = rd_znode(found);
		score = rd_znode_score(n);
		if (cmd == RD_ZRANK)
			rank = rd_zsl_rank(&z->sl, ffkx_sl_key(n), n->key_size);
	}
	ffkx_unlock(l, &irq);
	if (err || rank < 0)
		return rd_zfail(-ECANCELED, syscall);
	if (!found)
		return RD_REPLY(out, out_pos, "$-1\r\n");
	if (cmd == RD_ZRANK)
		return rd_put_int(out, out_pos, ':', rank);
	err = rd_score_put(out, out_pos, score, syscall);
	if (err == -EINVAL)
		return RD_SLOW;
	return err;
}

/* ZREM key member... */
/*
 * Removes the member in argument arg under the zset's lock, leaving its node in s->node[arg] for
 * the caller to free. 1 if it was there, 0 if not, or -errno.
 */
__noinline int rd_zrem_member(__u64 za, __u32 arg, const struct ffkx_text *in, const struct rd_argv *argv,
			      struct rd_zscratch *s)
{
	struct rd_zset __arena *z = rd_zset_of(za);
	struct ffkx_sl_node __arena *n, *gone;
	struct ffkx_tok m;
	struct ffkx_lock *l;
	unsigned long irq;
	__u32 slot;
	__u64 found;
	int err;

	if (!z || !in || !argv || !s)
		return -EINVAL;
	m = rd_arg(argv, arg);
	s->node[arg % RD_MAX_ARGS] = 0;
	s->hash[arg % RD_MAX_ARGS] = ffkx_tok_hash(in, m);
	if (rd_zlock(z, &l, &irq))
		return -EAGAIN;
	err = rd_zfind(z, in, m, s->hash[arg % RD_MAX_ARGS], &found, &slot);
	found = ffkx_opaque(found);
	if (!err && found) {
		n = rd_znode(found);
		err = rd_zsl_remove(&z->sl, ffkx_sl_key(n), n->key_size, &gone);
		if (!err) {
			((__u64 __arena *)(unsigned long)z->table)[slot & z->mask] = RD_ZTOMB;
			s->node[arg % RD_MAX_ARGS] = found;
		}
	}
	ffkx_unlock(l, &irq);
	if (err)
		return err;
	return found != 0;
}

/* ZREM key member...: each member is removed under the lock on its own. */
static __always_inline int rd_zrem_do(__u64 za, __u32 mode, const struct ffkx_text *in, const struct rd_argv *argv,
				      struct ffkx_text *out, __u32 *out_pos)
{
	bool syscall = mode == RD_MODE_SYSCALL;
	__u32 argc, i, removed = 0;
	struct rd_zscratch *s;
	int r = 0;

	if (!za)
		return RD_REPLY(out, out_pos, ":0\r\n");
	s = rd_zscratch_get(syscall);
	argc = argv->argc;
	if (!s || argc > RD_MAX_ARGS)
		return -EINVAL;
	for (i = ffkx_loop_from(2); i < argc && i < RD_MAX_ARGS; i++) {
		r = rd_zrem_member(za, i, in, argv, s);
		if (r < 0)
			break;
		removed += r;
		cond_break;
	}
	rd_zscratch_release(s, i);
	if ((r < 0 || i < argc) && removed)
		return -EAGAIN; /* not RD_SLOW: something changed */
	if (r < 0 || i < argc)
		return rd_zfail(r < 0 ? r : -ECANCELED, syscall);
	return rd_put_int(out, out_pos, ':', removed);
}

/* ZRANGE key start stop [WITHSCORES], by index. */
static __always_inline int rd_zrange_do(__u64 za, __u32 mode, const struct ffkx_text *in, const struct rd_argv *argv,
					struct ffkx_text *out, __u32 *out_pos)
{
	struct rd_zset __arena *z = rd_zset_of(za);
	bool syscall = mode == RD_MODE_SYSCALL, ws = false;
	struct ffkx_sl_node __arena *n = NULL;
	__s64 start, stop, len;
	__u32 argc, p, done, k, count;
	struct ffkx_lock *l;
	unsigned long irq;
	int err = 0;

	argc = argv->argc;
	if (argc == 5 && RD_ARG_IS(in, argv, 4, "WITHSCORES"))
		ws = true;
	else if (argc != 4)
		return syscall ? RD_REPLY(out, out_pos, "-ERR syntax error\r\n") : RD_SLOW;
	if (rd_tok_index(in, rd_arg(argv, 2), &start) || rd_tok_index(in, rd_arg(argv, 3), &stop))
		return syscall ? RD_REPLY(out, out_pos, "-ERR value is not an integer or out of range\r\n") : RD_SLOW;
	if (!z)
		return syscall ? 0 : RD_REPLY(out, out_pos, "*0\r\n");
	err = rd_zlock(z, &l, &irq);
	if (err)
		return rd_zfail(err, syscall);
	/* Redis' sanitising, in genericZrangebyrankCommand. */
	len = z->sl.length;
	if (start < 0)
		start += len;
	if (stop < 0)
		stop += len;
	if (start < 0)
		start = 0;
	if (start > stop || start >= len) {
		ffkx_unlock(l, &irq);
		return syscall ? 0 : RD_REPLY(out, out_pos, "*0\r\n");
	}
	if (stop >= len)
		stop = len - 1;
	count = stop - start + 1;
	p = *out_pos;
	if (!syscall)
		err = rd_put_int(out, &p, '*', (__u64)count * (ws ? 2 : 1));
	if (!err)
		err = ffkx_skiplist_at(&z->sl, start, &n);
	done = p;
	for (k = ffkx_loop_from(0); !err && k < count && n; k++) {
		err = rd_put_member(out, &p, n);
		if (!err && ws)
			err = rd_score_put_do(out, &p, rd_znode_score(n), syscall); /* under the lock: no global call */
		p = ffkx_text_pos(p);
		if (err)
			break;
		done = p;
		n = ffkx_sl_next(n);
		cond_break;
	}
	ffkx_unlock(l, &irq);
	if (syscall) {
		/* A chunk: the elements that fit, at least one. */
		if (done == *out_pos)
			return err == -ENOSPC ? -E2BIG : -EAGAIN;
		*out_pos = done;
		return 0;
	}
	if (err || k < count)
		return RD_SLOW;
	*out_pos = done;
	return 0;
}

/*
 * The executors, as global functions: each is verified once, on its own. BPF passes five
 * arguments at most, so the command, the mode and the reply position travel packed in op
 * (rd_zop), and a result >= 0 is the reply's new end.
 */
static __always_inline __u32 rd_zop(__u32 cmd, __u32 mode, __u32 pos)
{
	return (cmd & 0xff) | (mode & 0xff) << 8 | pos << 16;
}

#define RD_ZRUN(name, call)										\
__noinline int name(__u64 za, __u32 op, const struct ffkx_text *in, const struct rd_argv *argv,		\
		    struct ffkx_text *out)								\
{													\
	__u32 cmd __attribute__((unused)) = op & 0xff, mode = (op >> 8) & 0xff, pos = ffkx_text_pos(op >> 16); \
	int r;												\
													\
	if (!in || !argv || !out)									\
		return -EINVAL;										\
	r = call;											\
	return r < 0 ? r : (int)pos;									\
}

RD_ZRUN(rd_zadd_run, rd_zadd_do(za, mode, in, argv, out, &pos, cmd == RD_ZINCRBY))
RD_ZRUN(rd_zread_run, rd_zread_do(cmd, za, mode, in, argv, out, &pos))
RD_ZRUN(rd_zrem_run, rd_zrem_do(za, mode, in, argv, out, &pos))
RD_ZRUN(rd_zrange_run, rd_zrange_do(za, mode, in, argv, out, &pos))

/* Runs one command: see the top of this file. */
static __always_inline int rd_zset_exec(enum rd_zcmd cmd, struct rd_zset __arena *z, enum rd_mode mode,
					const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
					__u32 *out_pos)
{
	__u32 op = rd_zop(cmd, mode, *out_pos);
	__u64 za = (__u64)z;
	int r;

	/* A write's reply must fit once the write is done: check the room before anything changes. */
	if (cmd != RD_ZRANGE && *out_pos + RD_ZREPLY_ROOM > FFKX_TEXT_BUF)
		return mode == RD_MODE_FAST ? RD_SLOW : -ENOSPC;
	switch (cmd) {
	case RD_ZADD:
	case RD_ZINCRBY:
		r = rd_zadd_run(za, op, in, argv, out);
		break;
	case RD_ZREM:
		r = rd_zrem_run(za, op, in, argv, out);
		break;
	case RD_ZRANGE:
		r = rd_zrange_run(za, op, in, argv, out);
		break;
	default:
		r = rd_zread_run(za, op, in, argv, out);
		break;
	}
	if (r < 0)
		return r;
	*out_pos = r;
	return 0;
}

#endif /* RD_ZSET_H */
