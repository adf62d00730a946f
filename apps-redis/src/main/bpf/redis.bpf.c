/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Redis offload: one object, one heap, every entry point.
 *
 *   rd_verdict    sk_skb fast path (sk_stream.h), attached: hands each skb to the verdict of its
 *                 first command's family by a tail call (rd_verdicts).
 *   rd_sverdict   answers an skb made wholly of string commands the engine runs; anything else
 *                 goes up to the Java slow path on the same socket.
 *   rd_zverdict   the same for the sorted-set commands: their executor and the strings' are more
 *                 than the verifier takes in one program.
 *   rd_init       creates the keyspace in a freshly initialised heap (after ffkx_heap_init).
 *   rd_run        the slow path's way in: runs the commands Java put in rd_slow_io, the same engine.
 *   rd_zrun       the same for one sorted-set command (their executor needs a program of its own).
 *   rd_flush      FLUSHALL/FLUSHDB, a range of buckets at a time.
 */
#include <ffkx/sk_stream.h>
#include "rd_engine.h"

struct rd_fast_scratch {
	struct rd_argv argv;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rd_fast_scratch);
} rd_fast_scratch SEC(".maps");

/*
 * The slow path's request and reply; one caller at a time (Java serialises). Java maps it and
 * writes the request and reads the reply in place: one syscall per command, the test run.
 */
struct rd_io {
	struct ffkx_text in;
	struct ffkx_text out;
	struct rd_argv argv;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct rd_io);
} rd_slow_io SEC(".maps");

enum rd_counter {
	RD_CNT_FAST_CMDS, /* commands answered at sk_skb */
	RD_CNT_MAX,
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RD_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} rd_counters SEC(".maps");

/* sk_stream.h's exec: the command at pos, after rd_fast_check accepted the whole skb. */
static __always_inline int rd_stream_exec(const struct ffkx_text *in, __u32 pos, __u32 end, struct ffkx_text *out,
					  __u32 *out_pos)
{
	__u32 zero = 0;
	struct rd_fast_scratch *s = bpf_map_lookup_elem(&rd_fast_scratch, &zero);
	__u64 *count = bpf_map_lookup_elem(&rd_counters, &zero);
	struct rd_exec_ctx cx = { .mode = RD_MODE_FAST };
	int n;

	if (!s)
		return RD_SLOW;
	if (pos == 0 && !rd_fast_check(in, end, &s->argv, RD_FAMILY_STRINGS))
		return RD_SLOW;
	n = rd_resp_parse(in, pos, end, &s->argv);
	if (n <= 0 || rd_exec(in, &s->argv, out, out_pos, &cx))
		return RD_SLOW;
	if (count)
		(*count)++;
	return n;
}

FFKX_STREAM_VERDICT(rd_sverdict, rd_stream_exec)

#ifdef RD_HAVE_ZSET
/* rd_stream_exec for the sorted-set commands. */
static __always_inline int rd_zstream_exec(const struct ffkx_text *in, __u32 pos, __u32 end, struct ffkx_text *out,
					   __u32 *out_pos)
{
	__u32 zero = 0;
	struct rd_fast_scratch *s = bpf_map_lookup_elem(&rd_fast_scratch, &zero);
	__u64 *count = bpf_map_lookup_elem(&rd_counters, &zero);
	int n;

	if (!s)
		return RD_SLOW;
	if (pos == 0 && !rd_fast_check(in, end, &s->argv, RD_FAMILY_ZSETS))
		return RD_SLOW;
	n = rd_resp_parse(in, pos, end, &s->argv);
	if (n <= 0 || rd_zexec(in, &s->argv, out, out_pos, RD_MODE_FAST))
		return RD_SLOW;
	if (count)
		(*count)++;
	return n;
}

FFKX_STREAM_VERDICT(rd_zverdict, rd_zstream_exec)
#endif

/* The family verdicts, by enum rd_family; Java puts rd_sverdict and rd_zverdict in after loading. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} rd_verdicts SEC(".maps");

/* The family of the skb's first command, by its name's first letter (every Z* is a sorted-set one). */
static __always_inline __u32 rd_skb_family(struct __sk_buff *skb)
{
	__u8 b[16] = {};
	__u32 len = ffkx_opaque(skb->len), i, at = 0, lines = 0;

	if (len > sizeof(b))
		len = sizeof(b);
	len = ffkx_opaque(len); /* bounded in the register the helper gets, not in a reload of skb->len */
	if (len == 0 || len > sizeof(b) || bpf_skb_load_bytes(skb, 0, b, len))
		return RD_FAMILY_STRINGS;
	if (b[0] == '*') { /* "*N\r\n$L\r\nNAME": the name follows the second line feed */
		for (i = 0; i < sizeof(b); i++) {
			if (b[i] == '\n' && ++lines == 2) {
				at = i + 1;
				break;
			}
		}
		if (lines < 2)
			return RD_FAMILY_STRINGS;
	}
	return at < sizeof(b) && (b[at & (sizeof(b) - 1)] | 0x20) == 'z' ? RD_FAMILY_ZSETS : RD_FAMILY_STRINGS;
}

SEC("sk_skb")
int rd_verdict(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &rd_verdicts, rd_skb_family(skb));
	/* Java installs both before attaching: a lost connection, never one answered out of order */
	return SK_DROP;
}

struct rd_init_args {
	__u64 buckets; /* power of two */
	__u64 unix_ms; /* the wall clock when Java called */
	__u64 zsets;   /* nonzero: serve the sorted-set commands */
};

SEC("syscall")
int rd_init(struct rd_init_args *args)
{
	__u64 __arena *root = ffkx_heap_root(RD_ROOT);
	struct rd_store __arena *st;
	void __arena *buckets = NULL;
	__u64 n = args->buckets;
	int err = 0;

	if (*root)
		return -EEXIST;
	if (!n || (n & (n - 1)) || n > (1ULL << 28))
		return -EINVAL;
	st = ffkx_zalloc(sizeof(*st), &err);
	if (st)
		buckets = ffkx_zalloc(n * sizeof(__u64), &err);
	if (!buckets) {
		ffkx_free(st);
		return err;
	}
	st->buckets = (__u64)buckets;
	st->mask = n - 1;
	st->zsets = args->zsets != 0;
	st->clock_ms = (__s64)args->unix_ms - (__s64)(bpf_ktime_get_ns() / 1000000ULL);
	*root = (__u64)st;
	return 0;
}

struct rd_run_args {
	__u32 len;   /* in: commands' bytes in rd_slow_io.in */
	__u32 reply; /* out: reply bytes in rd_slow_io.out */
	__u32 done;  /* out: commands run, in order; the next one is the slow path's */
	__u32 pad;
	__u64 built; /* in: an entry rd_big built, for the first command, a SET (consumed) */
};

/*
 * Runs the commands in rd_slow_io.in in order, until one the engine leaves to Java (which is not
 * run) or the end: a pipeline passed up costs one program run, not one per command.
 */
SEC("syscall")
int rd_run(struct rd_run_args *args)
{
	__u32 zero = 0, len = args->len, out = 0, pos = 0, done = 0;
	struct rd_io *io = bpf_map_lookup_elem(&rd_slow_io, &zero);
	struct rd_exec_ctx cx = { .mode = RD_MODE_SYSCALL };
	__u64 built = args->built;

	if (!rd_store() || !io) {
		rd_entry_free(built);
		return -ENOENT;
	}
	if (len > FFKX_TEXT_BUF) {
		rd_entry_free(built);
		return -E2BIG;
	}
	while (pos < len && can_loop) {
		int n = rd_resp_parse(&io->in, pos, len, &io->argv);

		if (n <= 0) {
			rd_entry_free(built);
			break;
		}
		cx.built = built;
		if (rd_exec(&io->in, &io->argv, &io->out, &out, &cx))
			break;
		built = 0;
		pos = ffkx_text_pos(pos + n);
		done++;
	}
	args->reply = out;
	args->done = done;
	return 0;
}

#ifdef RD_HAVE_ZSET
/* rd_run for one sorted-set command in rd_slow_io.in (args->done: 1 when it ran, 0 for RD_SLOW). */
SEC("syscall")
int rd_zrun(struct rd_run_args *args)
{
	__u32 zero = 0, len = args->len, out = 0;
	struct rd_io *io = bpf_map_lookup_elem(&rd_slow_io, &zero);
	int n;

	if (!rd_store() || !io)
		return -ENOENT;
	if (len > FFKX_TEXT_BUF)
		return -E2BIG;
	n = rd_resp_parse(&io->in, 0, len, &io->argv);
	args->done = n > 0 && rd_zexec(&io->in, &io->argv, &io->out, &out, RD_MODE_SYSCALL) == 0;
	args->reply = out;
	return 0;
}
#endif

enum rd_big_op {
	RD_BIG_BUILD = 1, /* a string entry for key, vlen bytes of value for Java to write: addr (0: OOM) */
	RD_BIG_REF,       /* pin the live entry for key: addr (0: none), nval, type */
	RD_BIG_UNREF,     /* let go of addr (a pinned entry, or a built one never used) */
};

struct rd_big_args {
	__u32 op;
	__u32 klen;   /* in: the key's bytes at the start of rd_slow_io.in */
	__u32 vlen;   /* in: BUILD */
	__u32 nval;   /* out: REF */
	__u64 addr;   /* out: BUILD, REF; in: UNREF */
	__u32 type;   /* out: REF */
	__s32 result; /* 0, or RD_SLOW when the key's lock could not be taken */
};

/*
 * Values too large for a request buffer. Java builds the entry here, writes the value into the
 * heap itself, and has rd_run's SET link it (rd_cmd_set); it reads one by pinning the entry, so a
 * SET or DEL in the fast path meanwhile frees it only once Java lets go.
 */
SEC("syscall")
int rd_big(struct rd_big_args *args)
{
	struct rd_store __arena *st = rd_store();
	struct rd_entry __arena *dead = NULL, *e;
	__u32 zero = 0, hash;
	struct rd_io *io = bpf_map_lookup_elem(&rd_slow_io, &zero);
	struct ffkx_tok key;
	__u64 __arena *pprev;
	struct ffkx_lock *l;
	unsigned long irq;
	__u64 now;

	if (!st || !io)
		return -ENOENT;
	if (args->op == RD_BIG_UNREF) {
		rd_entry_free(args->addr);
		args->result = 0;
		return 0;
	}
	if (args->klen > RD_KEY_MAX) /* "" is a key like any other */
		return -EINVAL;
	key.off = 0;
	key.len = args->klen;
	hash = ffkx_tok_hash(&io->in, key);
	if (args->op == RD_BIG_BUILD) {
		e = rd_entry_new(st, &io->in, key, hash, args->vlen);
		if (e)
			e->nval = args->vlen;
		args->addr = (__u64)e;
		args->result = 0;
		return 0;
	}
	if (args->op != RD_BIG_REF)
		return -EINVAL;
	now = rd_now_ms(st);
	l = rd_lock_of(st, hash);
	if (!l || ffkx_lock(l, &irq)) {
		args->result = RD_SLOW;
		return 0;
	}
	e = rd_find_locked(st, &io->in, key, hash, now, &pprev, &dead);
	args->addr = (__u64)e;
	if (e) {
		__sync_fetch_and_add(&e->refs, 1);
		args->nval = e->nval;
		args->type = e->type;
	}
	ffkx_unlock(l, &irq);
	rd_reap(st, dead);
	args->result = 0;
	return 0;
}

struct rd_flush_args {
	__u64 from; /* in: first bucket; out: where to go on, or the bucket count when done */
};

/*
 * Empties buckets [from, ...) until the loop budget runs out: each chain is taken off under its
 * lock and freed after unlocking. Java calls again from args->from until it reaches the end.
 */
SEC("syscall")
int rd_flush(struct rd_flush_args *args)
{
	struct rd_store __arena *st = rd_store();
	__u64 b, nb;

	if (!st)
		return -ENOENT;
	nb = (__u64)st->mask + 1;
	for (b = ffkx_loop_from(args->from); b < nb; b++) {
		__u64 __arena *head = (__u64 __arena *)st->buckets + b;
		struct ffkx_lock *l = ffkx_lock_for(head);
		struct rd_entry __arena *e;
		unsigned long irq;
		__u64 freed = 0;

		if (!l || ffkx_lock(l, &irq))
			return -EAGAIN;
		e = (struct rd_entry __arena *)*head;
		*head = 0;
		ffkx_unlock(l, &irq);
		while (e && can_loop) {
			struct rd_entry __arena *next = e->next;

			rd_entry_free((__u64)e);
			freed++;
			e = next;
		}
		__sync_fetch_and_sub(&st->keys, freed);
		if (e) {
			/* cancelled mid-chain: what is left goes back for the next call */
			if (ffkx_lock(l, &irq))
				return -EAGAIN;
			freed = *head;
			*head = (__u64)e;
			ffkx_unlock(l, &irq);
			if (freed)
				return -EAGAIN; /* a write raced in; the next call starts here again */
			break;
		}
		cond_break;
	}
	args->from = b;
	return 0;
}

FFKX_LICENSE;
