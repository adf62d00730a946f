/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The string commands and the key commands (DEL, EXISTS, TTL, EXPIRE, PERSIST), as Redis 7.0
 * executes them once arity is checked (rd_engine.h): the same checks in the same order, the same
 * replies and errors. Each is a global function, so the verifier checks it once per program.
 *
 * A write allocates its new entry before it locks (the allocator calls a helper) and frees what
 * it replaced after unlocking. It changes nothing unless its reply fits the output buffer, so
 * a command that returns RD_SLOW has had no effect.
 */
#ifndef RD_STRINGS_H
#define RD_STRINGS_H

#include "rd_reply.h"

/* The bytes of a long long in decimal, at most: what INCR reserves for its result. */
#define RD_LL_MAX 20

/* The option words of SET and EXPIRE. */
enum rd_opt {
	RD_OPT_OTHER = 0,
	RD_OPT_NX,
	RD_OPT_XX,
	RD_OPT_GT,
	RD_OPT_LT,
	RD_OPT_EX,
	RD_OPT_PX,
	RD_OPT_GET,
	RD_OPT_EXAT,
	RD_OPT_PXAT,
	RD_OPT_KEEPTTL,
};

/*
 * Which option word the token [off, off + len) of in is. Global: option loops call it per
 * argument, and inlined comparisons would multiply the verifier's states at every iteration.
 */
__noinline int rd_opt_of(const struct ffkx_text *in, __u32 off, __u32 len)
{
	struct ffkx_tok t = { .off = off, .len = len };

	if (!in)
		return RD_OPT_OTHER;
	switch (len) {
	case 2:
		if (RD_WORD(in, t, "NX"))
			return RD_OPT_NX;
		if (RD_WORD(in, t, "XX"))
			return RD_OPT_XX;
		if (RD_WORD(in, t, "GT"))
			return RD_OPT_GT;
		if (RD_WORD(in, t, "LT"))
			return RD_OPT_LT;
		if (RD_WORD(in, t, "EX"))
			return RD_OPT_EX;
		if (RD_WORD(in, t, "PX"))
			return RD_OPT_PX;
		break;
	case 3:
		if (RD_WORD(in, t, "GET"))
			return RD_OPT_GET;
		break;
	case 4:
		if (RD_WORD(in, t, "EXAT"))
			return RD_OPT_EXAT;
		if (RD_WORD(in, t, "PXAT"))
			return RD_OPT_PXAT;
		break;
	case 7:
		if (RD_WORD(in, t, "KEEPTTL"))
			return RD_OPT_KEEPTTL;
		break;
	}
	return RD_OPT_OTHER;
}

static __always_inline bool rd_args_ok(const struct ffkx_text *in, const struct rd_argv *argv,
				       struct ffkx_text *out, __u32 *out_pos)
{
	return in && argv && out && out_pos && *out_pos <= FFKX_TEXT_BUF && argv->argc <= RD_MAX_ARGS;
}

__noinline int rd_cmd_get(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
			  __u32 *out_pos)
{
	struct rd_store __arena *st = rd_store();
	struct rd_entry __arena *dead = NULL, *e;
	__u64 __arena *pprev;
	struct ffkx_lock *l;
	struct ffkx_tok key;
	unsigned long irq;
	__u32 hash, p;
	__u64 now;
	int err;

	if (!st || !rd_args_ok(in, argv, out, out_pos))
		return RD_SLOW;
	key = rd_arg(argv, 1);
	hash = ffkx_tok_hash(in, key);
	now = rd_now_ms(st);
	l = rd_lock_of(st, hash);
	if (!l || ffkx_lock(l, &irq))
		return RD_SLOW;
	e = rd_find_locked(st, in, key, hash, now, &pprev, &dead);
	p = *out_pos;
	if (!e)
		err = RD_PUT(out, &p, RD_NIL);
	else if (e->type != RD_STRING)
		err = RD_PUT(out, &p, RD_WRONGTYPE);
	else
		err = rd_put_bulk_entry(out, &p, e);
	ffkx_unlock(l, &irq);
	rd_reap(st, dead);
	if (err)
		return RD_SLOW;
	__sync_fetch_and_add(e ? &st->hits : &st->misses, 1);
	*out_pos = p;
	return 0;
}

/* MGET: one reply per key, nil for a missing key or one of another type. */
__noinline int rd_cmd_mget(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
			   __u32 *out_pos)
{
	struct rd_store __arena *st = rd_store();
	__u32 i, n, p;
	__u64 now;

	if (!st || !rd_args_ok(in, argv, out, out_pos))
		return RD_SLOW;
	n = argv->argc;
	p = *out_pos;
	now = rd_now_ms(st);
	if (rd_put_num(out, &p, '*', n - 1))
		return RD_SLOW;
	for (i = ffkx_loop_from(1); i < n && i < RD_MAX_ARGS; i++) {
		struct rd_entry __arena *dead = NULL, *e;
		struct ffkx_tok key = rd_arg(argv, i);
		__u32 hash = ffkx_tok_hash(in, key);
		struct ffkx_lock *l = rd_lock_of(st, hash);
		__u64 __arena *pprev;
		unsigned long irq;
		int err;

		if (!l || ffkx_lock(l, &irq))
			return RD_SLOW;
		e = rd_find_locked(st, in, key, hash, now, &pprev, &dead);
		if (e && e->type == RD_STRING)
			err = rd_put_bulk_entry(out, &p, e);
		else
			err = RD_PUT(out, &p, RD_NIL);
		ffkx_unlock(l, &irq);
		rd_reap(st, dead);
		if (err)
			return RD_SLOW;
		cond_break;
	}
	if (i < n)
		return RD_SLOW;
	*out_pos = p;
	return 0;
}

enum rd_set_flags {
	RD_SET_NX = 1,
	RD_SET_XX = 2,
	RD_SET_GET = 4,
	RD_SET_KEEPTTL = 8,
	RD_SET_EX = 16,
	RD_SET_PX = 32,
	RD_SET_EXAT = 64,
	RD_SET_PXAT = 128,
};

#define RD_SET_EXPIRES (RD_SET_EX | RD_SET_PX | RD_SET_EXAT | RD_SET_PXAT)

/*
 * SET's options as Redis' parseExtendedStringArgumentsOrReply takes them, then the expire time
 * as getExpireMillisecondsOrReply turns it into unix ms. 0, or the error to reply (a literal).
 */
static __always_inline const char *rd_set_options(const struct ffkx_text *in, const struct rd_argv *argv,
						  __u64 now, __u32 *flags, __u64 *expire_ms, __u32 *elen)
{
	struct ffkx_tok when;
	__u32 j = 3, f = 0, w = 0, n = argv->argc;
	__s64 ms;

	while (j < n && j < RD_MAX_ARGS) {
		struct ffkx_tok opt;
		bool next;
		int o;

		/* one verifier state per iteration, not one per combination of options seen */
		j = ffkx_loop_from(j);
		f = ffkx_loop_from(f);
		w = ffkx_loop_from(w);
		if (j >= n || j >= RD_MAX_ARGS)
			break;
		opt = rd_arg(argv, j);
		o = rd_opt_of(in, opt.off, opt.len);
		next = j + 1 < n;
		if (o == RD_OPT_NX && !(f & RD_SET_XX)) {
			f |= RD_SET_NX;
		} else if (o == RD_OPT_XX && !(f & RD_SET_NX)) {
			f |= RD_SET_XX;
		} else if (o == RD_OPT_GET) {
			f |= RD_SET_GET;
		} else if (o == RD_OPT_KEEPTTL && !(f & RD_SET_EXPIRES)) {
			f |= RD_SET_KEEPTTL;
		} else if (o == RD_OPT_EX && !(f & (RD_SET_KEEPTTL | (RD_SET_EXPIRES & ~RD_SET_EX))) && next) {
			f |= RD_SET_EX;
			w = ++j;
		} else if (o == RD_OPT_PX && !(f & (RD_SET_KEEPTTL | (RD_SET_EXPIRES & ~RD_SET_PX))) && next) {
			f |= RD_SET_PX;
			w = ++j;
		} else if (o == RD_OPT_EXAT && !(f & (RD_SET_KEEPTTL | (RD_SET_EXPIRES & ~RD_SET_EXAT))) && next) {
			f |= RD_SET_EXAT;
			w = ++j;
		} else if (o == RD_OPT_PXAT && !(f & (RD_SET_KEEPTTL | (RD_SET_EXPIRES & ~RD_SET_PXAT))) && next) {
			f |= RD_SET_PXAT;
			w = ++j;
		} else {
			*elen = sizeof(RD_ERR_SYNTAX) - 1;
			return RD_ERR_SYNTAX;
		}
		j++;
		cond_break;
	}
	if (j < n && j < RD_MAX_ARGS)
		return NULL; /* cancelled: the caller goes slow */
	*flags = f;
	*expire_ms = 0;
	if (!(f & RD_SET_EXPIRES))
		return "";
	when = rd_arg(argv, w);
	if (rd_tok_ll(in, when, &ms)) {
		*elen = sizeof(RD_ERR_INT) - 1;
		return RD_ERR_INT;
	}
#define RD_ERR_SET_EXPIRE "-ERR invalid expire time in 'set' command\r\n"
	*elen = sizeof(RD_ERR_SET_EXPIRE) - 1;
	if (ms <= 0)
		return RD_ERR_SET_EXPIRE;
	if (f & (RD_SET_EX | RD_SET_EXAT)) {
		if (ms > 0x7fffffffffffffffLL / 1000)
			return RD_ERR_SET_EXPIRE;
		ms *= 1000;
	}
	if (f & (RD_SET_EX | RD_SET_PX)) {
		if (ms > 0x7fffffffffffffffLL - (__s64)now)
			return RD_ERR_SET_EXPIRE;
		ms += now;
	}
	*expire_ms = ms;
	return "";
}

/* Appends a literal error of n bytes, or -ENOSPC. */
static __always_inline int rd_put_err(struct ffkx_text *out, __u32 *pos, const char *e, __u32 n)
{
	return ffkx_text_put(out, pos, (const __u8 *)e, n & 127);
}

/*
 * SET. built: 0, or an entry the slow path built for a value too large for a request buffer
 * (rd_big), key filled in and value written: it replaces argv[2], and it is linked or freed here.
 */
__noinline int rd_cmd_set(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
			  __u32 *out_pos, __u64 built)
{
	struct rd_store __arena *st = rd_store();
	struct rd_entry __arena *dead = NULL, *old, *e;
	struct ffkx_tok key, val;
	__u64 __arena *pprev;
	__u64 now, expire_ms;
	const char *err;
	struct ffkx_lock *l;
	unsigned long irq;
	__u32 hash, flags = 0, elen = 0, i, n, p;
	int ret = 0;
	bool found;

	if (!st || !rd_args_ok(in, argv, out, out_pos)) {
		rd_entry_free(built);
		return RD_SLOW;
	}
	key = rd_arg(argv, 1);
	val = rd_arg(argv, 2);
	if (key.len > RD_KEY_MAX) {
		rd_entry_free(built);
		return RD_SLOW;
	}
	p = *out_pos;
	hash = ffkx_tok_hash(in, key);
	if (built) {
		e = (struct rd_entry __arena *)built;
		n = i = 0;
	} else {
		e = rd_entry_new(st, in, key, hash, val.len);
		if (!e)
			return RD_PUT(out, out_pos, RD_ERR_OOM) ? RD_SLOW : 0;
		n = val.len;
		for (i = ffkx_loop_from(0); i < n && i < FFKX_TEXT_BUF; i++) {
			e->data[key.len + i] = ffkx_text_at(in, val.off + i);
			cond_break;
		}
		e->nval = n;
	}
	now = rd_now_ms(st);
	err = i < n ? NULL : rd_set_options(in, argv, now, &flags, &expire_ms, &elen);
	if (!err || *err) {
		rd_entry_free((__u64)e);
		if (!err || rd_put_err(out, &p, err, elen))
			return RD_SLOW;
		*out_pos = p;
		return 0;
	}
	e->expire_ms = expire_ms;
	l = rd_lock_of(st, hash);
	if (!l || ffkx_lock(l, &irq)) {
		rd_entry_free((__u64)e);
		return RD_SLOW;
	}
	old = rd_find_locked(st, in, key, hash, now, &pprev, &dead);
	found = old != NULL;
	if (flags & RD_SET_GET) {
		if (!old)
			ret = RD_PUT(out, &p, RD_NIL);
		else if (old->type != RD_STRING)
			ret = RD_PUT(out, &p, RD_WRONGTYPE) ? -ENOSPC : 1; /* nothing set */
		else
			ret = rd_put_bulk_entry(out, &p, old);
	}
	if (ret == 0 && (((flags & RD_SET_NX) && found) || ((flags & RD_SET_XX) && !found))) {
		if (!(flags & RD_SET_GET))
			ret = RD_PUT(out, &p, RD_NIL);
		ret = ret ? ret : 1;
	}
	if (ret == 0 && !(flags & RD_SET_GET))
		ret = RD_PUT(out, &p, RD_OK);
	if (ret == 0) {
		if (old && (flags & RD_SET_KEEPTTL))
			e->expire_ms = old->expire_ms;
		rd_link_locked(st, e, old, pprev);
	}
	ffkx_unlock(l, &irq);
	rd_reap(st, dead);
	if (ret != 0)
		rd_entry_free((__u64)e);
	else
		rd_entry_free((__u64)old);
	if (ret < 0)
		return RD_SLOW;
	*out_pos = p;
	return 0;
}

/* DEL (del != 0) or EXISTS: how many of the keys were there; DEL removes them. */
__noinline int rd_cmd_del_exists(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
				 __u32 *out_pos, __u32 del)
{
	struct rd_store __arena *st = rd_store();
	__u32 i, n, count = 0;
	__u64 now;

	if (!st || !rd_args_ok(in, argv, out, out_pos))
		return RD_SLOW;
	if (*out_pos + 24 > FFKX_TEXT_BUF)
		return RD_SLOW; /* ":<count>\r\n" must fit before anything is deleted */
	n = argv->argc;
	now = rd_now_ms(st);
	for (i = ffkx_loop_from(1); i < n && i < RD_MAX_ARGS; i++) {
		struct rd_entry __arena *dead = NULL, *e;
		struct ffkx_tok key = rd_arg(argv, i);
		__u32 hash = ffkx_tok_hash(in, key);
		struct ffkx_lock *l = rd_lock_of(st, hash);
		__u64 __arena *pprev;
		unsigned long irq;

		if (!l || ffkx_lock(l, &irq))
			break;
		e = rd_find_locked(st, in, key, hash, now, &pprev, &dead);
		if (e) {
			count++;
			if (del)
				rd_unlink_locked(st, pprev, e);
		}
		ffkx_unlock(l, &irq);
		rd_reap(st, dead);
		if (e && del)
			rd_entry_free((__u64)e);
		cond_break;
	}
	/* DEL cannot give back what it deleted: once started it answers, whatever stopped it */
	if (i < n && (!del || count == 0))
		return RD_SLOW;
	return rd_put_num(out, out_pos, ':', count) ? RD_SLOW : 0;
}

enum rd_incr_kind {
	RD_INCR,
	RD_DECR,
	RD_INCRBY,
	RD_DECRBY,
};

/* INCR and DECR (by one), INCRBY and DECRBY (by argv[2]). */
__noinline int rd_cmd_incr(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
			   __u32 *out_pos, __u32 kind)
{
	struct rd_store __arena *st = rd_store();
	struct rd_entry __arena *dead = NULL, *old, *e;
	struct ffkx_tok key, digits;
	__u64 __arena *pprev;
	struct ffkx_lock *l;
	unsigned long irq;
	__u32 hash, p, i, n;
	__u64 now;
	__s64 value = 0, incr = kind == RD_DECR ? -1 : 1;
	int ret = 0;

	if (!st || !rd_args_ok(in, argv, out, out_pos))
		return RD_SLOW;
	p = *out_pos;
	if (p + 64 > FFKX_TEXT_BUF)
		return RD_SLOW;
	key = rd_arg(argv, 1);
	if (key.len > RD_KEY_MAX)
		return RD_SLOW;
	if (kind >= RD_INCRBY && rd_tok_ll(in, rd_arg(argv, 2), &incr))
		return RD_PUT(out, out_pos, RD_ERR_INT) ? RD_SLOW : 0;
	if (kind == RD_DECRBY) {
		if (incr == (__s64)(1ULL << 63))
			return RD_PUT(out, out_pos, "-ERR decrement would overflow\r\n") ? RD_SLOW : 0;
		incr = -incr;
	}
	hash = ffkx_tok_hash(in, key);
	e = rd_entry_new(st, in, key, hash, RD_LL_MAX);
	if (!e)
		return RD_PUT(out, out_pos, RD_ERR_OOM) ? RD_SLOW : 0;
	now = rd_now_ms(st);
	l = rd_lock_of(st, hash);
	if (!l || ffkx_lock(l, &irq)) {
		rd_entry_free((__u64)e);
		return RD_SLOW;
	}
	old = rd_find_locked(st, in, key, hash, now, &pprev, &dead);
	if (old && old->type != RD_STRING) {
		ret = RD_PUT(out, &p, RD_WRONGTYPE) ? -ENOSPC : 1;
	} else if (old) {
		/* the old value is parsed where the reply goes: the room is there, and it is text */
		n = old->nval;
		if (n > RD_LL_MAX) {
			ret = RD_PUT(out, &p, RD_ERR_INT) ? -ENOSPC : 1;
		} else {
			for (i = 0; i < RD_LL_MAX && i < n; i++)
				out->b[(p + i) & FFKX_TEXT_MASK] = old->data[old->nkey + i];
			digits.off = p;
			digits.len = n;
			if (rd_ll_parse(out, digits, &value))
				ret = RD_PUT(out, &p, RD_ERR_INT) ? -ENOSPC : 1;
		}
	}
	if (ret == 0 && ((incr < 0 && value < 0 && incr < (__s64)(1ULL << 63) - value) ||
			 (incr > 0 && value > 0 && incr > 0x7fffffffffffffffLL - value)))
		ret = RD_PUT(out, &p, RD_ERR_OVER) ? -ENOSPC : 1;
	if (ret == 0) {
		__u64 mag;
		__u32 q;

		value += incr;
		mag = value < 0 ? -(__u64)value : (__u64)value;
		q = 0;
		if (value < 0)
			e->data[key.len & (RD_KEY_MAX - 1)] = '-';
		q = (value < 0) + rd_digits(mag);
		e->nval = q;
		for (i = 0; i < RD_LL_MAX && i < q - (value < 0); i++) {
			e->data[(key.len + q - 1 - i) & (RD_KEY_MAX * 2 - 1)] = '0' + mag % 10;
			mag /= 10;
		}
		if (old)
			e->expire_ms = old->expire_ms;
		ret = rd_put_num(out, &p, ':', value) ? -ENOSPC : 0;
		if (ret == 0)
			rd_link_locked(st, e, old, pprev);
	}
	ffkx_unlock(l, &irq);
	rd_reap(st, dead);
	rd_entry_free((__u64)(ret == 0 ? old : e));
	if (ret < 0)
		return RD_SLOW;
	*out_pos = p;
	return 0;
}

/* TTL (ms = 0) and PTTL: -2 without the key, -1 without an expiry, else what is left. */
__noinline int rd_cmd_ttl(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
			  __u32 *out_pos, __u32 ms)
{
	struct rd_store __arena *st = rd_store();
	struct rd_entry __arena *dead = NULL, *e;
	struct ffkx_tok key;
	__u64 __arena *pprev;
	struct ffkx_lock *l;
	unsigned long irq;
	__u64 now;
	__s64 ttl = -2;
	__u32 hash;

	if (!st || !rd_args_ok(in, argv, out, out_pos))
		return RD_SLOW;
	key = rd_arg(argv, 1);
	hash = ffkx_tok_hash(in, key);
	now = rd_now_ms(st);
	l = rd_lock_of(st, hash);
	if (!l || ffkx_lock(l, &irq))
		return RD_SLOW;
	e = rd_find_locked(st, in, key, hash, now, &pprev, &dead);
	if (e)
		ttl = e->expire_ms ? (__s64)(e->expire_ms - now) : -1;
	ffkx_unlock(l, &irq);
	rd_reap(st, dead);
	if (ttl > 0 && !ms)
		ttl = (ttl + 500) / 1000;
	return rd_put_num(out, out_pos, ':', ttl) ? RD_SLOW : 0;
}

enum rd_expire_flags {
	RD_EXP_NX = 1,
	RD_EXP_XX = 2,
	RD_EXP_GT = 4,
	RD_EXP_LT = 8,
};

/* EXPIRE key seconds [NX|XX|GT|LT], as Redis 7.0's expireGenericCommand decides. */
__noinline int rd_cmd_expire(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
			     __u32 *out_pos)
{
	struct rd_store __arena *st = rd_store();
	struct rd_entry __arena *dead = NULL, *gone = NULL, *e;
	struct ffkx_tok key;
	__u64 __arena *pprev;
	struct ffkx_lock *l;
	unsigned long irq;
	__u32 hash, j, f = 0, n, p;
	__s64 when, cur;
	__u64 now;
	int done = 0;

	if (!st || !rd_args_ok(in, argv, out, out_pos))
		return RD_SLOW;
	n = argv->argc;
	p = *out_pos;
	for (j = ffkx_loop_from(3); j < n && j < RD_MAX_ARGS; j++) {
		struct ffkx_tok opt = rd_arg(argv, j);
		int o = rd_opt_of(in, opt.off, opt.len);

		f = ffkx_loop_from(f);
		if (o == RD_OPT_NX)
			f |= RD_EXP_NX;
		else if (o == RD_OPT_XX)
			f |= RD_EXP_XX;
		else if (o == RD_OPT_GT)
			f |= RD_EXP_GT;
		else if (o == RD_OPT_LT)
			f |= RD_EXP_LT;
		else
			return RD_SLOW; /* "Unsupported option <opt>": the slow path names it */
		cond_break;
	}
	if ((f & RD_EXP_NX) && (f & (RD_EXP_XX | RD_EXP_GT | RD_EXP_LT)))
		return RD_PUT(out, out_pos, "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n")
		       ? RD_SLOW : 0;
	if ((f & RD_EXP_GT) && (f & RD_EXP_LT))
		return RD_PUT(out, out_pos, "-ERR GT and LT options at the same time are not compatible\r\n")
		       ? RD_SLOW : 0;
	if (rd_tok_ll(in, rd_arg(argv, 2), &when))
		return RD_PUT(out, out_pos, RD_ERR_INT) ? RD_SLOW : 0;
	now = rd_now_ms(st);
#define RD_ERR_EXPIRE "-ERR invalid expire time in 'expire' command\r\n"
	if (when > 0x7fffffffffffffffLL / 1000 || when < (__s64)(1ULL << 63) / 1000)
		return RD_PUT(out, out_pos, RD_ERR_EXPIRE) ? RD_SLOW : 0;
	when *= 1000;
	if (when > 0x7fffffffffffffffLL - (__s64)now)
		return RD_PUT(out, out_pos, RD_ERR_EXPIRE) ? RD_SLOW : 0;
	when += now;
	if (p + 8 > FFKX_TEXT_BUF)
		return RD_SLOW;
	key = rd_arg(argv, 1);
	hash = ffkx_tok_hash(in, key);
	l = rd_lock_of(st, hash);
	if (!l || ffkx_lock(l, &irq))
		return RD_SLOW;
	e = rd_find_locked(st, in, key, hash, now, &pprev, &dead);
	if (e) {
		cur = e->expire_ms ? (__s64)e->expire_ms : -1;
		if (!((f & RD_EXP_NX) && cur != -1) && !((f & RD_EXP_XX) && cur == -1) &&
		    !((f & RD_EXP_GT) && (when <= cur || cur == -1)) && !((f & RD_EXP_LT) && cur != -1 && when >= cur)) {
			done = 1;
			if (when <= (__s64)now) {
				rd_unlink_locked(st, pprev, e);
				gone = e;
			} else {
				e->expire_ms = when;
			}
		}
	}
	ffkx_unlock(l, &irq);
	rd_entry_free((__u64)gone);
	rd_reap(st, dead);
	return rd_put_num(out, out_pos, ':', done) ? RD_SLOW : 0;
}

/* PERSIST: 1 when the key had an expiry and now has none. */
__noinline int rd_cmd_persist(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
			      __u32 *out_pos)
{
	struct rd_store __arena *st = rd_store();
	struct rd_entry __arena *dead = NULL, *e;
	struct ffkx_tok key;
	__u64 __arena *pprev;
	struct ffkx_lock *l;
	unsigned long irq;
	__u32 hash, p;
	__u64 now;
	int done = 0;

	if (!st || !rd_args_ok(in, argv, out, out_pos))
		return RD_SLOW;
	p = *out_pos;
	if (p + 8 > FFKX_TEXT_BUF)
		return RD_SLOW;
	key = rd_arg(argv, 1);
	hash = ffkx_tok_hash(in, key);
	now = rd_now_ms(st);
	l = rd_lock_of(st, hash);
	if (!l || ffkx_lock(l, &irq))
		return RD_SLOW;
	e = rd_find_locked(st, in, key, hash, now, &pprev, &dead);
	if (e && e->expire_ms) {
		e->expire_ms = 0;
		done = 1;
	}
	ffkx_unlock(l, &irq);
	rd_reap(st, dead);
	return rd_put_num(out, out_pos, ':', done) ? RD_SLOW : 0;
}

#endif /* RD_STRINGS_H */
