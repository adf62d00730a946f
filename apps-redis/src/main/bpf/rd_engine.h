/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Redis engine: command lookup (case-insensitive), arity as Redis 7.0's command table gives
 * it, and dispatch to the executors. The sk_skb fast path and the slow path's syscall program run
 * the same rd_exec; unknown commands and wrong arities return RD_SLOW, and Java, which knows the
 * whole command table, gives Redis' exact error.
 *
 * The fast path answers an skb only when it answers every command in it (sk_stream.h), and an
 * skb it does not answer goes up whole, to be run again by the slow path. So before running the
 * first command of an skb, rd_fast_check frames all of them and makes sure each is one the
 * engine executes: a write is never run here and then again in Java.
 */
#ifndef RD_ENGINE_H
#define RD_ENGINE_H

#include "rd_resp.h"
#include "rd_strings.h"
#include "rd_zkeys.h"

enum rd_cmd_id {
	RD_C_NONE = 0,
	RD_C_PING,
	RD_C_ECHO,
	RD_C_GET,
	RD_C_SET,
	RD_C_DEL,
	RD_C_EXISTS,
	RD_C_INCR,
	RD_C_DECR,
	RD_C_INCRBY,
	RD_C_DECRBY,
	RD_C_MGET,
	RD_C_TTL,
	RD_C_PTTL,
	RD_C_EXPIRE,
	RD_C_PERSIST,
	RD_C_DBSIZE,
#ifdef RD_HAVE_ZSET
	RD_C_ZADD,
	RD_C_ZINCRBY,
	RD_C_ZSCORE,
	RD_C_ZCARD,
	RD_C_ZRANK,
	RD_C_ZREM,
	RD_C_ZRANGE,
	RD_C_ZCOUNT,
#endif
};

/* The command the name [off, off + len) of in names, or RD_C_NONE. Global: checked once. */
__noinline int rd_cmd_of(const struct ffkx_text *in, __u32 off, __u32 len)
{
	struct ffkx_tok name = { .off = off, .len = len };

	if (!in)
		return RD_C_NONE;
	switch (name.len) {
	case 3:
		if (RD_WORD(in, name, "GET"))
			return RD_C_GET;
		if (RD_WORD(in, name, "SET"))
			return RD_C_SET;
		if (RD_WORD(in, name, "DEL"))
			return RD_C_DEL;
		if (RD_WORD(in, name, "TTL"))
			return RD_C_TTL;
		break;
	case 4:
		if (RD_WORD(in, name, "PING"))
			return RD_C_PING;
		if (RD_WORD(in, name, "ECHO"))
			return RD_C_ECHO;
		if (RD_WORD(in, name, "INCR"))
			return RD_C_INCR;
		if (RD_WORD(in, name, "DECR"))
			return RD_C_DECR;
		if (RD_WORD(in, name, "MGET"))
			return RD_C_MGET;
		if (RD_WORD(in, name, "PTTL"))
			return RD_C_PTTL;
		break;
	case 6:
		if (RD_WORD(in, name, "EXISTS"))
			return RD_C_EXISTS;
		if (RD_WORD(in, name, "INCRBY"))
			return RD_C_INCRBY;
		if (RD_WORD(in, name, "DECRBY"))
			return RD_C_DECRBY;
		if (RD_WORD(in, name, "EXPIRE"))
			return RD_C_EXPIRE;
		if (RD_WORD(in, name, "DBSIZE"))
			return RD_C_DBSIZE;
		break;
	case 7:
		if (RD_WORD(in, name, "PERSIST"))
			return RD_C_PERSIST;
#ifdef RD_HAVE_ZSET
		if (RD_WORD(in, name, "ZINCRBY"))
			return RD_C_ZINCRBY;
#endif
		break;
	}
#ifdef RD_HAVE_ZSET
	if (RD_WORD(in, name, "ZADD"))
		return RD_C_ZADD;
	if (RD_WORD(in, name, "ZSCORE"))
		return RD_C_ZSCORE;
	if (RD_WORD(in, name, "ZCARD"))
		return RD_C_ZCARD;
	if (RD_WORD(in, name, "ZRANK"))
		return RD_C_ZRANK;
	if (RD_WORD(in, name, "ZREM"))
		return RD_C_ZREM;
	if (RD_WORD(in, name, "ZRANGE"))
		return RD_C_ZRANGE;
	if (RD_WORD(in, name, "ZCOUNT"))
		return RD_C_ZCOUNT;
#endif
	return RD_C_NONE;
}

/* The command named, or RD_C_NONE; a sorted-set command is unknown unless the store serves them. */
static __always_inline enum rd_cmd_id rd_cmd_lookup(const struct ffkx_text *in, struct ffkx_tok name)
{
	enum rd_cmd_id id = rd_cmd_of(in, name.off, name.len);
#ifdef RD_HAVE_ZSET
	struct rd_store __arena *st;

	if (id >= RD_C_ZADD) {
		st = rd_store();
		if (!st || !st->zsets)
			return RD_C_NONE;
	}
#endif
	return id;
}

/* Redis 7.0's arity: n exactly, or at least -n when negative. */
static __always_inline int rd_cmd_arity(enum rd_cmd_id id)
{
	switch (id) {
	case RD_C_PING:
		return -1;
	case RD_C_SET:
	case RD_C_EXPIRE:
		return -3;
	case RD_C_DEL:
	case RD_C_EXISTS:
	case RD_C_MGET:
		return -2;
	case RD_C_INCRBY:
	case RD_C_DECRBY:
		return 3;
	case RD_C_DBSIZE:
		return 1;
#ifdef RD_HAVE_ZSET
	case RD_C_ZADD:
	case RD_C_ZRANGE:
		return -4;
	case RD_C_ZINCRBY:
		return 4;
	case RD_C_ZSCORE:
	case RD_C_ZRANK:
		return 3;
	case RD_C_ZREM:
		return -3;
	case RD_C_ZCOUNT:
		return 4;
#endif
	default:
		return 2;
	}
}

static __always_inline bool rd_arity_ok(enum rd_cmd_id id, __u32 argc)
{
	int a = rd_cmd_arity(id);

	return a > 0 ? argc == (__u32)a : argc >= (__u32)-a;
}

/* PING and ECHO, which touch no key. */
static __always_inline int rd_cmd_echo(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
				       __u32 *out_pos, enum rd_cmd_id id)
{
	if (id == RD_C_PING && argv->argc == 1)
		return RD_PUT(out, out_pos, "+PONG\r\n") ? RD_SLOW : 0;
	if (id == RD_C_PING && argv->argc > 2)
		return RD_SLOW; /* Redis' own arity error for PING, from the slow path */
	return rd_put_bulk_tok(out, out_pos, in, rd_arg(argv, 1)) ? RD_SLOW : 0;
}

/* How rd_exec runs: where from, and what the slow path hands over with the command. */
struct rd_exec_ctx {
	__u64 built; /* 0, or for a SET the entry the slow path built for a large value (rd_cmd_set) */
	__u32 mode;  /* enum rd_mode */
	__u32 pad;
};

/*
 * Runs the parsed command argv of in, appending its reply at *out_pos. Returns 0, or RD_SLOW
 * when the slow path must answer it (nothing was changed then). cx->built is consumed either way.
 * The sorted-set commands are RD_SLOW here: their executor, with this one, is more than the
 * verifier takes in one program, so it runs in programs of their own (rd_zexec: rd_zverdict,
 * rd_zrun).
 */
__noinline int rd_exec(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out, __u32 *out_pos,
		       const struct rd_exec_ctx *cx)
{
	struct rd_store __arena *st = rd_store();
	enum rd_cmd_id id = RD_C_NONE;
	__u64 built;

	if (!cx)
		return RD_SLOW;
	built = cx->built;

	if (st && rd_args_ok(in, argv, out, out_pos) && argv->argc > 0)
		id = rd_cmd_lookup(in, argv->arg[0]);
	if (id != RD_C_SET)
		rd_entry_free(built);
	if (id == RD_C_NONE || !rd_arity_ok(id, argv->argc)) {
		if (id == RD_C_SET)
			rd_entry_free(built);
		return RD_SLOW;
	}
	switch (id) {
	case RD_C_PING:
	case RD_C_ECHO:
		return rd_cmd_echo(in, argv, out, out_pos, id);
	case RD_C_GET:
		return rd_cmd_get(in, argv, out, out_pos);
	case RD_C_MGET:
		return rd_cmd_mget(in, argv, out, out_pos);
	case RD_C_SET:
		return rd_cmd_set(in, argv, out, out_pos, built);
	case RD_C_DEL:
		return rd_cmd_del_exists(in, argv, out, out_pos, 1);
	case RD_C_EXISTS:
		return rd_cmd_del_exists(in, argv, out, out_pos, 0);
	case RD_C_INCR:
		return rd_cmd_incr(in, argv, out, out_pos, RD_INCR);
	case RD_C_DECR:
		return rd_cmd_incr(in, argv, out, out_pos, RD_DECR);
	case RD_C_INCRBY:
		return rd_cmd_incr(in, argv, out, out_pos, RD_INCRBY);
	case RD_C_DECRBY:
		return rd_cmd_incr(in, argv, out, out_pos, RD_DECRBY);
	case RD_C_TTL:
		return rd_cmd_ttl(in, argv, out, out_pos, 0);
	case RD_C_PTTL:
		return rd_cmd_ttl(in, argv, out, out_pos, 1);
	case RD_C_EXPIRE:
		return rd_cmd_expire(in, argv, out, out_pos);
	case RD_C_PERSIST:
		return rd_cmd_persist(in, argv, out, out_pos);
	case RD_C_DBSIZE:
		return rd_put_num(out, out_pos, ':', st->keys) ? RD_SLOW : 0;
	default:
		return RD_SLOW;
	}
}

#ifdef RD_HAVE_ZSET
/* A sorted-set command (rd_cmd_lookup's id, arity checked) in the given mode: as rd_exec. */
static __always_inline int rd_zexec_id(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
				       __u32 *out_pos, enum rd_cmd_id id, __u32 mode)
{
	switch (id) {
	case RD_C_ZADD:
		return rd_cmd_zset(in, argv, out, out_pos, RD_ZADD | mode << 8);
	case RD_C_ZINCRBY:
		return rd_cmd_zset(in, argv, out, out_pos, RD_ZINCRBY | mode << 8);
	case RD_C_ZSCORE:
		return rd_cmd_zset(in, argv, out, out_pos, RD_ZSCORE | mode << 8);
	case RD_C_ZCARD:
		return rd_cmd_zset(in, argv, out, out_pos, RD_ZCARD | mode << 8);
	case RD_C_ZRANK:
		return rd_cmd_zset(in, argv, out, out_pos, RD_ZRANK | mode << 8);
	case RD_C_ZREM:
		return rd_cmd_zset(in, argv, out, out_pos, RD_ZREM | mode << 8);
	case RD_C_ZRANGE:
		return rd_cmd_zset(in, argv, out, out_pos, RD_ZRANGE | mode << 8);
	case RD_C_ZCOUNT:
		return rd_cmd_zset(in, argv, out, out_pos, RD_ZCOUNT | mode << 8);
	default:
		return RD_SLOW;
	}
}

/* rd_exec for the sorted-set commands: RD_SLOW for any other. Inlined: the zset executor's call chain is
 * deep, and the stacks of all its frames must fit 512 bytes. */
static __always_inline int rd_zexec(const struct ffkx_text *in, const struct rd_argv *argv, struct ffkx_text *out,
				    __u32 *out_pos, __u32 mode)
{
	enum rd_cmd_id id = RD_C_NONE;

	if (rd_store() && rd_args_ok(in, argv, out, out_pos) && argv->argc > 0)
		id = rd_cmd_lookup(in, argv->arg[0]);
	if (id < RD_C_ZADD || !rd_arity_ok(id, argv->argc))
		return RD_SLOW;
	return rd_zexec_id(in, argv, out, out_pos, id, mode);
}
#endif

/* The argument checks that would make rd_exec return RD_SLOW before it changes anything. */
static __always_inline bool rd_fast_args_ok(const struct ffkx_text *in, const struct rd_argv *argv, enum rd_cmd_id id)
{
	__u32 j, n = argv->argc;

	switch (id) {
	case RD_C_PING:
		return n <= 2;
	case RD_C_SET:
	case RD_C_INCR:
	case RD_C_DECR:
	case RD_C_INCRBY:
	case RD_C_DECRBY:
		return argv->arg[1].len <= RD_KEY_MAX;
	case RD_C_EXPIRE:
		for (j = ffkx_loop_from(3); j < n && j < RD_MAX_ARGS; j++) {
			struct ffkx_tok opt = rd_arg(argv, j);
			int o = rd_opt_of(in, opt.off, opt.len);

			if (o != RD_OPT_NX && o != RD_OPT_XX && o != RD_OPT_GT && o != RD_OPT_LT)
				return false;
			cond_break;
		}
		return true;
#ifdef RD_HAVE_ZSET
	case RD_C_ZADD:
		return rd_zadd_fast_ok(in, argv);
	case RD_C_ZCOUNT:
		return false; /* bounds it cannot parse would be RD_SLOW after the skb's writes ran */
#endif
	default:
		return true;
	}
}

/* Commands that change the keyspace. */
static __always_inline bool rd_cmd_writes(enum rd_cmd_id id)
{
	bool w = id == RD_C_SET || id == RD_C_DEL || id == RD_C_INCR || id == RD_C_DECR || id == RD_C_INCRBY ||
		 id == RD_C_DECRBY || id == RD_C_EXPIRE || id == RD_C_PERSIST;
#ifdef RD_HAVE_ZSET
	w = w || id == RD_C_ZADD || id == RD_C_ZINCRBY || id == RD_C_ZREM;
#endif
	return w;
}

/* Commands whose reply may be long, depending on data: values, echoed arguments. */
static __always_inline bool rd_cmd_replies_data(const struct ffkx_text *in, const struct rd_argv *argv,
						enum rd_cmd_id id)
{
	__u32 j, n = argv->argc;

	switch (id) {
	case RD_C_GET:
	case RD_C_MGET:
	case RD_C_ECHO:
#ifdef RD_HAVE_ZSET
	case RD_C_ZINCRBY:
	case RD_C_ZSCORE:
	case RD_C_ZRANGE:
#endif
		return true;
	case RD_C_PING:
		return n > 1;
	case RD_C_SET:
		for (j = ffkx_loop_from(3); j < n && j < RD_MAX_ARGS; j++) {
			struct ffkx_tok opt = rd_arg(argv, j);

			if (rd_opt_of(in, opt.off, opt.len) == RD_OPT_GET)
				return true;
			cond_break;
		}
		return false;
	default:
		return false;
	}
}

/* The commands of one verdict program: the strings (rd_exec), or the sorted sets (rd_zexec). */
enum rd_family {
	RD_FAMILY_STRINGS = 0,
	RD_FAMILY_ZSETS = 1,
};

/* Replies of commands that reply no data are at most this long (RD_ZREPLY_ROOM, an error line). */
#define RD_SHORT_REPLY_MAX 80

/*
 * True when every command of [0, end) is complete and one the family's executor runs: known, of
 * the right arity, with arguments it takes (rd_fast_args_ok). argv is scratch.
 *
 * The verdict learns only at the end whether the replies fit where the requests were; if they do
 * not, the skb goes up and the slow path runs all of it again. Reads run twice harmlessly, writes
 * do not: so an skb with a write must not hold a command whose reply length depends on data.
 * Writes' own replies are short (a status, a number, an error of a few dozen bytes); the sorted
 * sets' executor also wants room for one before it writes, so their skbs with writes hold no more
 * commands than such replies fit the buffer.
 */
__noinline int rd_fast_check(const struct ffkx_text *in, __u32 end, struct rd_argv *argv, __u32 family)
{
	bool writes = false, data = false;
	__u32 pos = 0, cmds = 0;

	if (!in || !argv || end > FFKX_TEXT_BUF)
		return 0;
	while (pos < end && can_loop) {
		int n = rd_resp_parse(in, pos, end, argv);
		enum rd_cmd_id id;

		if (n <= 0 || argv->argc == 0)
			return 0;
		id = rd_cmd_lookup(in, argv->arg[0]);
		if (id == RD_C_NONE || !rd_arity_ok(id, argv->argc) || !rd_fast_args_ok(in, argv, id))
			return 0;
#ifdef RD_HAVE_ZSET
		if ((id >= RD_C_ZADD) != (family == RD_FAMILY_ZSETS))
			return 0;
#else
		if (family != RD_FAMILY_STRINGS)
			return 0;
#endif
		writes |= rd_cmd_writes(id);
		data |= rd_cmd_replies_data(in, argv, id);
		if (writes && data)
			return 0;
		cmds++;
		pos = ffkx_text_pos(pos + n);
	}
	if (family == RD_FAMILY_ZSETS && writes && (cmds + 1) * RD_SHORT_REPLY_MAX > FFKX_TEXT_BUF)
		return 0;
	return pos == end;
}

#endif /* RD_ENGINE_H */
