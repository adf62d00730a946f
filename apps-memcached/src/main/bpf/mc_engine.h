/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runs one parsed memcached command against the store and writes memcached's reply.
 *
 * The same code serves XDP (UDP), sk_skb (TCP) and the syscall program the Java slow path runs,
 * each handing it a request copied into a struct mc_io. A command the engine cannot finish
 * exactly as memcached would (a reply larger than the caller can send, a value that is not a
 * plain number for incr, an item that kept changing under it) returns MC_EXEC_SLOW before it
 * changes anything, so the slow path can run the command from scratch.
 */
#ifndef MC_ENGINE_H
#define MC_ENGINE_H

#include "mc_store.h"

#define MC_EXEC_SLOW (-1)

/* What one step of a store hands the next (see mc_exec_store). */
struct mc_pending {
	__u64 item;        /* the new item, built but not linked */
	__u64 external;    /* 1: the slow path writes the new value into the item itself */
	__u64 old;         /* append/prepend: the item measured, and its cas */
	__u64 old_cas;
	__u32 old_bytes;
	__u32 old_flags;
	__u32 old_exptime;
	__u32 hash;
};

struct mc_io {
	struct ffkx_text req;
	struct ffkx_text resp;
	struct mc_cmd cmd;
	struct mc_pending pend;
};

/*
 * Appends a literal. One of up to eight bytes is one 8-byte store, whose bytes past the literal
 * the next append overwrites (replies are written front to back, and their length bounds them).
 */
static __always_inline int mc_put_lit(struct ffkx_text *dst, __u32 *pos, const char *lit, __u32 n)
{
	__u32 p = *pos;
	__u64 w = 0;

	if (n > 8 || p + 8 > FFKX_TEXT_BUF)
		return ffkx_text_put(dst, pos, (const __u8 *)lit, n);
	__builtin_memcpy(&w, lit, n > 8 ? 8 : n);
	*(__u64 *)&dst->b[p & FFKX_TEXT_MASK] = w;
	*pos = ffkx_text_pos(p + n);
	return 0;
}

#define MC_PUT(io, pos, lit) mc_put_lit(&(io)->resp, pos, lit, sizeof(lit) - 1)

/*
 * Appends n bytes of item memory, 32 at a time, then eight at a time; a last partial word is the
 * overlapping final eight bytes. dst is the reply buffer of a struct mc_io, which the parsed command follows, so an
 * 8-byte store at the buffer's last masked offset stays inside the map value (and the stores never
 * reach past p + n).
 */
static __always_inline int mc_put_heap(struct ffkx_text *dst, __u32 *pos, const __u8 __arena *src, __u32 n)
{
	__u32 i, d, p = *pos;

	if (n > FFKX_TEXT_BUF || p + n > FFKX_TEXT_BUF)
		return -ENOSPC;
	for (i = ffkx_loop_from(0); i + 32 <= n; i += 32) {
		i = ffkx_text_pos(i);
		if (i + 32 > n)
			break;
		d = (p + i) & FFKX_TEXT_MASK;
		*(__u64 *)&dst->b[d] = *(const __u64 __arena *)(src + i);
		*(__u64 *)&dst->b[d + 8] = *(const __u64 __arena *)(src + i + 8);
		*(__u64 *)&dst->b[d + 16] = *(const __u64 __arena *)(src + i + 16);
		*(__u64 *)&dst->b[d + 24] = *(const __u64 __arena *)(src + i + 24);
		cond_break;
	}
	for (i = ffkx_loop_from(i); i + 8 <= n; i += 8) {
		i = ffkx_text_pos(i);
		if (i + 8 > n)
			break;
		*(__u64 *)&dst->b[(p + i) & FFKX_TEXT_MASK] = *(const __u64 __arena *)(src + i);
		cond_break;
	}
	if (i < n && i + 8 > n && n >= 8) { /* the loop ended, not its budget */
		i = n - 8;
		*(__u64 *)&dst->b[(p + i) & FFKX_TEXT_MASK] = *(const __u64 __arena *)(src + i);
		i = n;
	}
	for (; i < n; i++) {
		i = ffkx_text_pos(i);
		if (i >= n)
			break;
		dst->b[(p + i) & FFKX_TEXT_MASK] = src[i];
		cond_break;
	}
	if (i < n)
		return -ECANCELED;
	*pos = ffkx_text_pos(p + n);
	return 0;
}

/* Copies n request bytes from offset off into item memory. */
static __always_inline int mc_copy_in(__u8 __arena *dst, const struct ffkx_text *t, __u32 off, __u32 n)
{
	__u32 i;

	for (i = ffkx_loop_from(0); i < n && i < FFKX_TEXT_BUF; i++) {
		i = ffkx_text_pos(i);
		if (i >= n)
			break;
		dst[i] = ffkx_text_at(t, off + i);
		cond_break;
	}
	return i < n ? -ECANCELED : 0;
}

/* Appends a request token, eight bytes at a time as mc_put_heap does. */
static __always_inline int mc_put_tok(struct mc_io *io, __u32 *pos, struct ffkx_tok tok)
{
	__u32 i, d, p = *pos, n = tok.len;

	if (n > MC_KEY_MAX || p + n > FFKX_TEXT_BUF)
		return -ENOSPC;
	for (i = ffkx_loop_from(0); i + 32 <= n; i += 32) {
		i = ffkx_text_pos(i);
		if (i + 32 > n)
			break;
		d = (p + i) & FFKX_TEXT_MASK;
		*(__u64 *)&io->resp.b[d] = mc_text_word(&io->req, tok.off + i, 8);
		*(__u64 *)&io->resp.b[d + 8] = mc_text_word(&io->req, tok.off + i + 8, 8);
		*(__u64 *)&io->resp.b[d + 16] = mc_text_word(&io->req, tok.off + i + 16, 8);
		*(__u64 *)&io->resp.b[d + 24] = mc_text_word(&io->req, tok.off + i + 24, 8);
		cond_break;
	}
	for (i = ffkx_loop_from(i); i + 8 <= n; i += 8) {
		i = ffkx_text_pos(i);
		if (i + 8 > n)
			break;
		*(__u64 *)&io->resp.b[(p + i) & FFKX_TEXT_MASK] = mc_text_word(&io->req, tok.off + i, 8);
		cond_break;
	}
	if (i < n && i + 8 > n && n >= 8) { /* the loop ended, not its budget */
		i = n - 8;
		*(__u64 *)&io->resp.b[(p + i) & FFKX_TEXT_MASK] = mc_text_word(&io->req, tok.off + i, 8);
		i = n;
	}
	for (; i < n; i++) {
		i = ffkx_text_pos(i);
		if (i >= n)
			break;
		io->resp.b[(p + i) & FFKX_TEXT_MASK] = ffkx_text_at(&io->req, tok.off + i);
		cond_break;
	}
	if (i < n)
		return -ECANCELED;
	*pos = ffkx_text_pos(p + n);
	return 0;
}

/*
 * Appends a 32-bit v in decimal. BPF has no multiply-high, so clang leaves each division by 10 a
 * real division, tens of cycles; for 32 bits, (v * 0xCCCCCCCD) >> 35 is v / 10 exactly.
 */
static __always_inline int mc_put_u32(struct ffkx_text *dst, __u32 *pos, __u32 v)
{
	__u32 n = 1, i, p = *pos;
	__u64 t, q;

	if (v < 100 && p + 2 <= FFKX_TEXT_BUF) { /* flags and small lengths: no loop */
		q = (v * 0xCCCCCCCDULL) >> 35;
		dst->b[p & FFKX_TEXT_MASK] = v < 10 ? '0' + v : '0' + q;
		dst->b[(p + 1) & FFKX_TEXT_MASK] = '0' + (v - q * 10);
		*pos = ffkx_text_pos(p + (v < 10 ? 1 : 2));
		return 0;
	}
	for (t = v; t >= 10 && n < 10; n++)
		t = (t * 0xCCCCCCCDULL) >> 35;
	n = ffkx_loop_from(n);
	if (n > 10 || p + n > FFKX_TEXT_BUF)
		return -ENOSPC;
	t = v;
	for (i = ffkx_loop_from(0); i < n; i++) {
		q = (t * 0xCCCCCCCDULL) >> 35;
		/* recomputed each time: a decrementing index clang derives would slide its bounds */
		dst->b[ffkx_text_pos(p + n - 1 - i) & FFKX_TEXT_MASK] = '0' + (t - q * 10);
		t = q;
		cond_break;
	}
	*pos = ffkx_text_pos(p + n);
	return 0;
}

/* "VALUE <key> <flags> <bytes>[ <cas>]\r\n<data>\r\n" for one hit (lock held, or in a seqlock read). */
static __always_inline int mc_put_value(struct mc_io *io, __u32 *pos, struct ffkx_tok key,
					struct mc_item __arena *it, bool with_cas, __u32 limit)
{
	/* each step fails alone: accumulating errors would make the verifier walk every mix */
	if (*pos + 6 + key.len + 3 * 21 + 4 + it->nbytes > limit)
		return -ENOSPC;
	if (MC_PUT(io, pos, "VALUE ") || mc_put_tok(io, pos, key) || MC_PUT(io, pos, " ") ||
	    mc_put_u32(&io->resp, pos, it->flags) || MC_PUT(io, pos, " ") ||
	    mc_put_u32(&io->resp, pos, it->nbytes))
		return -ENOSPC;
	if (with_cas && (MC_PUT(io, pos, " ") || ffkx_text_put_u64(&io->resp, pos, it->cas)))
		return -ENOSPC;
	if (MC_PUT(io, pos, "\r\n") || mc_put_heap(&io->resp, pos, it->data + it->nkey, it->nbytes) ||
	    MC_PUT(io, pos, "\r\n"))
		return -ENOSPC;
	return 0;
}

#define MC_GET_LOCKED (-2) /* mc_get_unlocked could not tell: the locked walk must */

/*
 * A get's walk without the lock, as a seqlock reader (see mc_lock): reads the chain and writes the
 * VALUE block, then checks that no locked section ran meanwhile. Freed items stay heap memory, so
 * a walk that races a writer reads stale bytes at worst, and throws them away. It leaves to the
 * locked walk whatever that would change: a dead item on the chain (unlinked there) and a hit
 * whose CLOCK bit is clear. Returns the new position, MC_EXEC_SLOW, or MC_GET_LOCKED.
 */
static __always_inline int mc_get_unlocked(struct mc_store __arena *st, struct mc_io *io, struct ffkx_tok key,
					   __u32 hash, __u32 now, __u32 limit, __u32 pos)
{
	__u32 __arena *seq = mc_seq(st, hash);
	__u64 __arena *link = mc_bucket(st, hash);
	struct mc_flushed f = mc_flushed(st, now);
	struct mc_item __arena *it;
	__u32 start = *seq;
	int err = 0;

	if (start & 1)
		return MC_GET_LOCKED;
	asm volatile("" ::: "memory"); /* the count first, then the chain */
	while (true) {
		if (!can_loop)
			return MC_GET_LOCKED;
		it = (struct mc_item __arena *)*link;
		if (!it)
			break;
		if (!mc_item_live(f, it, now))
			return MC_GET_LOCKED;
		if (it->hash == hash && mc_key_eq(it, &io->req, key)) {
			if (!it->referenced)
				return MC_GET_LOCKED;
			err = mc_put_value(io, &pos, key, it, io->cmd.op == MC_GETS || io->cmd.op == MC_GATS, limit);
			break;
		}
		link = (__u64 __arena *)&it->next;
		if (*seq != start)
			return MC_GET_LOCKED; /* a writer came by: its chain may now loop */
	}
	asm volatile("" ::: "memory"); /* the chain first, then the count again */
	if (*seq != start)
		return MC_GET_LOCKED;
	return err ? MC_EXEC_SLOW : (int)pos;
}

/*
 * Each executor is a global function: the verifier checks it once, whatever calls it. This one
 * appends key idx's VALUE block at pos and returns the new position; MC_EXEC_SLOW if it does not
 * fit under limit. Keys are looped over by the caller, so the locked walk is verified once.
 */
__noinline int mc_exec_get_key(struct mc_io *io, __u32 now, __u32 limit, __u32 idx, __u32 pos)
{
	struct mc_store __arena *st = mc_store();
	struct mc_item __arena *dead = NULL, *it;
	struct ffkx_lock *l;
	__u64 __arena *pprev;
	struct ffkx_tok key;
	unsigned long irq;
	__u32 hash;
	int err = 0;

	if (!st || !io || idx >= MC_MAX_KEYS || pos > FFKX_TEXT_BUF)
		return MC_EXEC_SLOW;
	key = io->cmd.keys[idx];
	hash = mc_key_hash(&io->req, key);
	err = mc_get_unlocked(st, io, key, hash, now, limit, pos);
	if (err != MC_GET_LOCKED)
		return err;
	err = 0;
	l = mc_lock_of(st, hash);
	if (!l || mc_lock(st, hash, l, &irq))
		return MC_EXEC_SLOW;
	it = mc_find_locked(st, &io->req, key, hash, now, &pprev, &dead);
	if (it) {
		it->referenced = 1;
		err = mc_put_value(io, &pos, key, it, io->cmd.op == MC_GETS || io->cmd.op == MC_GATS, limit);
	}
	mc_unlock(st, hash, l, &irq);
	mc_item_put(dead);
	return err ? MC_EXEC_SLOW : (int)pos;
}

/* get, gets: a VALUE block per hit, then END. */
static __always_inline int mc_exec_get(struct mc_io *io, __u32 now, __u32 limit)
{
	__u32 i, n = io->cmd.nkeys;
	int pos = 0;

	for (i = ffkx_loop_from(0); i < n && i < MC_MAX_KEYS; i++) {
		pos = mc_exec_get_key(io, now, limit, i, pos);
		if (pos < 0)
			return MC_EXEC_SLOW;
		cond_break;
	}
	if (i < n || pos + 5 > (int)limit || pos > FFKX_TEXT_BUF - 5)
		return MC_EXEC_SLOW;
	if (FFKX_TEXT_PUT_LIT(&io->resp, (__u32 *)&pos, "END\r\n"))
		return MC_EXEC_SLOW;
	return pos;
}

static __always_inline bool mc_is_concat(const struct mc_cmd *cmd)
{
	return cmd->op == MC_APPEND || cmd->op == MC_PREPEND;
}

/* these keep the old item's flags and exptime, and commit only if it did not change meanwhile */
static __always_inline bool mc_keeps_old(const struct mc_cmd *cmd)
{
	return mc_is_concat(cmd) || cmd->op == MC_REWRITE;
}

/* append/prepend, step 1: the old item's size, flags and exptime, or MC_NOT_STORED. */
__noinline int mc_store_measure(struct mc_io *io, __u32 now)
{
	unsigned long irq;
	struct mc_store __arena *st = mc_store();
	struct mc_item __arena *dead = NULL, *old;
	struct mc_pending *pend;
	__u64 __arena *pprev;
	struct ffkx_lock *l;

	if (!st || !io)
		return MC_EXEC_SLOW;
	pend = &io->pend;
	l = mc_lock_of(st, pend->hash);
	if (!l || mc_lock(st, pend->hash, l, &irq))
		return MC_EXEC_SLOW;
	old = mc_find_locked(st, &io->req, io->cmd.keys[0], pend->hash, now, &pprev, &dead);
	pend->old = (__u64)old;
	if (old) {
		pend->old_cas = old->cas;
		pend->old_bytes = old->nbytes;
		pend->old_flags = old->flags;
		pend->old_exptime = old->exptime;
	}
	mc_unlock(st, pend->hash, l, &irq);
	mc_item_put(dead);
	return pend->old ? 0 : MC_NOT_STORED;
}

/* Step 2: allocates the new item and fills in everything but the old value; or MC_NO_MEMORY. */
__noinline int mc_store_build(struct mc_io *io, __u32 now)
{
	struct mc_store __arena *st = mc_store();
	struct mc_item __arena *it;
	struct mc_pending *pend;
	struct mc_cmd *cmd;
	__u32 old_bytes;
	bool keep;

	if (!st || !io)
		return MC_EXEC_SLOW;
	cmd = &io->cmd;
	pend = &io->pend;
	keep = mc_keeps_old(cmd);
	old_bytes = mc_is_concat(cmd) ? pend->old_bytes : 0;
	/* too large is the slow path's to say: it swallows the value and, for set, deletes the key */
	if (mc_too_large(st, cmd->keys[0].len, keep ? pend->old_flags : cmd->flags, old_bytes + cmd->vlen))
		return MC_EXEC_SLOW;
	it = mc_alloc(st, cmd->keys[0].len, old_bytes + cmd->vlen, now);
	if (!it)
		return MC_NO_MEMORY;
	it->hash = pend->hash;
	it->time = now;
	it->flags = keep ? pend->old_flags : cmd->flags;
	it->exptime = keep ? pend->old_exptime : mc_realtime(st, cmd->exptime, now);
	it->cas = mc_next_cas(st);
	if (mc_copy_in(it->data, &io->req, cmd->keys[0].off, cmd->keys[0].len) ||
	    (!pend->external && mc_copy_in(it->data + cmd->keys[0].len + (cmd->op == MC_APPEND ? old_bytes : 0),
					   &io->req, cmd->data_off, cmd->vlen))) {
		mc_heap_free((__u64)it);
		return MC_EXEC_SLOW;
	}
	pend->item = (__u64)it;
	return 0;
}

/*
 * Step 3: under the chain's lock, decides and links. Returns the result, or -EAGAIN when the item
 * append/prepend measured changed meanwhile (the caller starts over).
 */
__noinline int mc_store_commit(struct mc_io *io, __u32 now)
{
	unsigned long irq;
	struct mc_store __arena *st = mc_store();
	struct mc_item __arena *dead = NULL, *old, *it;
	enum mc_result result;
	struct mc_pending *pend;
	__u64 __arena *pprev;
	struct mc_cmd *cmd;
	struct ffkx_lock *l;

	if (!st || !io)
		return MC_EXEC_SLOW;
	cmd = &io->cmd;
	pend = &io->pend;
	it = (struct mc_item __arena *)pend->item;
	l = mc_lock_of(st, pend->hash);
	if (!it)
		return MC_EXEC_SLOW;
	if (!l || mc_lock(st, pend->hash, l, &irq)) {
		mc_heap_free(pend->item);
		return MC_EXEC_SLOW;
	}
	old = mc_find_locked(st, &io->req, cmd->keys[0], pend->hash, now, &pprev, &dead);
	if (mc_keeps_old(cmd)) {
		__u8 __arena *dst;
		__u32 i, n = pend->old_bytes;

		if ((__u64)old != pend->old || !old || old->cas != pend->old_cas ||
		    (mc_is_concat(cmd) && old->nbytes != n)) {
			mc_unlock(st, pend->hash, l, &irq);
			mc_item_put(dead);
			mc_heap_free(pend->item);
			return -EAGAIN;
		}
		/* the old value goes before (append) or after (prepend) the new data */
		dst = it->data + it->nkey + (cmd->op == MC_APPEND ? 0 : cmd->vlen);
		for (i = ffkx_loop_from(0); mc_is_concat(cmd) && i < n; i++) {
			dst[i] = old->data[old->nkey + i];
			cond_break;
		}
	}
	switch (cmd->op) {
	case MC_ADD:
		result = old ? MC_NOT_STORED : MC_STORED;
		break;
	case MC_REPLACE:
		result = old ? MC_STORED : MC_NOT_STORED;
		break;
	case MC_CAS:
		result = !old ? MC_NOT_FOUND : old->cas == cmd->arg ? MC_STORED : MC_EXISTS;
		break;
	default: /* set, append, prepend */
		result = MC_STORED;
	}
	if (result == MC_STORED)
		mc_link_locked(st, it, old, pprev);
	mc_unlock(st, pend->hash, l, &irq);
	mc_item_put(dead);
	if (result != MC_STORED) {
		mc_heap_free(pend->item);
		return result;
	}
	__sync_fetch_and_add(&st->total_items, 1);
	mc_item_put(old);
	return MC_STORED;
}

/*
 * set, add, replace, cas, append, prepend: the new item is built before the chain is locked, and
 * append and prepend first measure the old item, starting over if it changed meanwhile. Each step
 * is its own global function, so the verifier checks each once. Returns an enum mc_result, or
 * MC_EXEC_SLOW.
 */
static __always_inline int mc_exec_store(struct mc_io *io, __u32 now)
{
	int attempt, ret;

	io->pend.hash = mc_key_hash(&io->req, io->cmd.keys[0]);
	io->pend.old = 0;
	io->pend.old_bytes = 0;
	io->pend.external = 0;
	for (attempt = ffkx_loop_from(0); attempt < MC_RETRIES; attempt++) {
		if (mc_is_concat(&io->cmd)) {
			ret = mc_store_measure(io, now);
			if (ret)
				return ret;
		}
		ret = mc_store_build(io, now);
		if (ret)
			return ret;
		ret = mc_store_commit(io, now);
		if (ret != -EAGAIN)
			return ret;
		cond_break;
	}
	return MC_EXEC_SLOW;
}

/* Returns an enum mc_result, or MC_EXEC_SLOW. */
__noinline int mc_exec_delete_touch(struct mc_io *io, __u32 now)
{
	unsigned long irq;
	struct mc_store __arena *st = mc_store();
	enum mc_result result;
	struct mc_item __arena *dead = NULL, *it;
	struct mc_cmd *cmd;
	struct ffkx_tok key;
	struct ffkx_lock *l;
	__u64 __arena *pprev;
	__u32 hash, exptime;

	if (!st || !io)
		return MC_EXEC_SLOW;
	cmd = &io->cmd;
	key = cmd->keys[0];
	hash = mc_key_hash(&io->req, key);
	exptime = mc_realtime(st, cmd->exptime, now);
	l = mc_lock_of(st, hash);
	if (!l || mc_lock(st, hash, l, &irq))
		return MC_EXEC_SLOW;
	it = mc_find_locked(st, &io->req, key, hash, now, &pprev, &dead);
	if (it && cmd->op == MC_DELETE) {
		mc_unlink_locked(st, pprev, it);
		result = MC_DELETED;
	} else if (it) {
		it->exptime = exptime;
		it->referenced = 1;
		result = MC_TOUCHED;
	} else {
		result = MC_NOT_FOUND;
	}
	mc_unlock(st, hash, l, &irq);
	mc_item_put(dead);
	if (result == MC_DELETED)
		mc_item_put(it);
	return result;
}

/*
 * memcached's safe_strtoull on an item value, for the values the fast path takes: digits, then
 * nothing or spaces (what an in-place incr leaves). Anything else is the slow path's to judge.
 */
static __always_inline int mc_item_number(struct mc_item __arena *it, __u64 *out)
{
	__u32 i, n = it->nbytes, digits = 0;
	__u64 v = 0;

	if (n == 0 || n > 64)
		return -EINVAL;
	for (i = ffkx_loop_from(0); i < n && i < 64; i++) {
		__u8 c = it->data[it->nkey + i];

		if (c >= '0' && c <= '9' && digits == i) {
			if (v > 1844674407370955161ULL || v * 10 + (c - '0') < v * 10)
				return -ERANGE;
			v = v * 10 + (c - '0');
			digits++;
		} else if (c != ' ' || digits == 0) {
			return -EINVAL;
		}
		cond_break;
	}
	if (i < n)
		return -ECANCELED;
	*out = v;
	return 0;
}

/*
 * incr and decr. memcached rewrites the value in place when the new number is no longer than
 * the old value, padding with spaces; otherwise it stores a new item. Both are mirrored here.
 */
/*
 * Returns MC_STORED with the new number and "\r\n" already in io->resp (its length in
 * io->cmd.vlen), another enum mc_result, or MC_EXEC_SLOW.
 */
__noinline int mc_exec_arith(struct mc_io *io, __u32 now, __u32 limit)
{
	unsigned long irq;
	struct mc_store __arena *st = mc_store();
	struct mc_item __arena *it, *dead = NULL;
	struct ffkx_text *digits;
	struct mc_cmd *cmd;
	struct ffkx_tok key;
	struct ffkx_lock *l;
	__u64 __arena *pprev;
	__u32 hash, len = 0, i;
	__u64 v;
	int err;

	if (!st || !io)
		return MC_EXEC_SLOW;
	cmd = &io->cmd;
	key = cmd->keys[0];
	hash = mc_key_hash(&io->req, key);
	digits = &io->resp; /* the reply is the number, so format it there */
	l = mc_lock_of(st, hash);
	if (!l || mc_lock(st, hash, l, &irq))
		return MC_EXEC_SLOW;
	it = mc_find_locked(st, &io->req, key, hash, now, &pprev, &dead);
	if (!it) {
		mc_unlock(st, hash, l, &irq);
		mc_item_put(dead);
		return MC_NOT_FOUND;
	}
	err = mc_item_number(it, &v);
	if (err) {
		bool empty = it->nbytes == 0;

		mc_unlock(st, hash, l, &irq);
		mc_item_put(dead);
		return err == -EINVAL && empty ? MC_NON_NUMERIC : MC_EXEC_SLOW;
	}
	if (cmd->op == MC_INCR)
		v += cmd->arg;
	else
		v = v < cmd->arg ? 0 : v - cmd->arg;
	ffkx_text_put_u64(digits, &len, v);
	if (len + 2 <= limit && len <= it->nbytes && it->refs == 1) { /* nobody but the table holds it */
		for (i = ffkx_loop_from(0); i < 64 && i < it->nbytes; i++) {
			it->data[it->nkey + i] = i < len ? digits->b[i & FFKX_TEXT_MASK] : ' ';
			cond_break;
		}
		it->cas = mc_next_cas(st);
		mc_unlock(st, hash, l, &irq);
		mc_item_put(dead);
		if (FFKX_TEXT_PUT_LIT(digits, &len, "\r\n"))
			return MC_EXEC_SLOW;
		cmd->vlen = len;
		return MC_STORED;
	}
	mc_unlock(st, hash, l, &irq);
	mc_item_put(dead);
	return MC_EXEC_SLOW; /* a longer number needs a new item: the slow path stores it */
}

/* Executes io->cmd (already parsed); returns the reply length, 0 for none, or MC_EXEC_SLOW. */
__noinline int mc_execute(struct mc_io *io, __u32 limit)
{
	struct mc_store __arena *st = mc_store();
	struct mc_cmd *cmd;
	__u32 now, pos = 0;
	int res, err = 0;

	if (!st || !io)
		return MC_EXEC_SLOW;
	cmd = &io->cmd;
	now = mc_now(st);
	switch (cmd->op) {
	case MC_GET:
	case MC_GETS:
		return mc_exec_get(io, now, limit);
	case MC_GAT:
	case MC_GATS:
		/*
		 * A touch cannot be taken back, so gat reads first and touches only once its reply is
		 * whole; several keys, one of which might not fit, go to the slow path key by key. The
		 * read and the touch are two locked steps: a writer between them has its item touched.
		 */
		if (cmd->nkeys > 1)
			return MC_EXEC_SLOW;
		res = mc_exec_get(io, now, limit);
		if (res >= 0) {
			__u8 op = cmd->op;

			cmd->op = MC_TOUCH;
			mc_exec_delete_touch(io, now);
			cmd->op = op;
		}
		return res;
	case MC_DELETE:
	case MC_TOUCH:
		res = mc_exec_delete_touch(io, now);
		break;
	case MC_INCR:
	case MC_DECR:
		res = mc_exec_arith(io, now, limit);
		if (res == MC_STORED)
			return cmd->noreply ? 0 : cmd->vlen;
		break;
	default:
		res = mc_exec_store(io, now);
	}
	if (res < 0)
		return MC_EXEC_SLOW;
	if (cmd->noreply)
		return 0;
	switch (res) {
	case MC_STORED:      err = MC_PUT(io, &pos, "STORED\r\n"); break;
	case MC_NOT_STORED:  err = MC_PUT(io, &pos, "NOT_STORED\r\n"); break;
	case MC_EXISTS:      err = MC_PUT(io, &pos, "EXISTS\r\n"); break;
	case MC_NOT_FOUND:   err = MC_PUT(io, &pos, "NOT_FOUND\r\n"); break;
	case MC_DELETED:     err = MC_PUT(io, &pos, "DELETED\r\n"); break;
	case MC_TOUCHED:     err = MC_PUT(io, &pos, "TOUCHED\r\n"); break;
	case MC_NO_MEMORY:   err = MC_PUT(io, &pos, "SERVER_ERROR out of memory storing object\r\n"); break;
	case MC_NON_NUMERIC: err = MC_PUT(io, &pos, "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"); break;
	default:             err = 1;
	}
	return err ? MC_EXEC_SLOW : pos;
}

#endif /* MC_ENGINE_H */
