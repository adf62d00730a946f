/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every data-structure benchmark program shares: the workload as Java wrote it (32-byte
 * keys, the stream of key indices drawn from a distribution) and the batch loop.
 *
 * One BPF_PROG_TEST_RUN performs a whole batch of operations, so the syscall is paid once per
 * batch rather than once per operation. Every implementation (ffkx and plain eBPF) reads its keys
 * from the same two maps, so the cost of fetching a key is the same on both sides.
 */
#ifndef FFKX_BENCH_H
#define FFKX_BENCH_H

#include <ffkx/common.h>
#include <ffkx/loop.h>

#define BENCH_MAX_KEYS   (1 << 17)
#define BENCH_STREAM_LEN (1 << 17) /* power of two: batches wrap around it with a mask */

struct bench_key {
	__u64 w[4];
};

struct bench_value {
	__u64 w[8];
};

/* The program argument (ctx of the syscall program). */
struct bench_args {
	__u32 from;       /* first position in the stream, or first key index when sequential */
	__u32 count;      /* operations in this batch */
	__u32 sequential; /* 1: keys from, from + 1, ... (populating); 0: keys from the stream */
	__u32 measured;   /* 1: add this batch to bench_stats; 0: setup work (populate, undo) */
};

/* In-kernel time, summed over batches; Java reads it between measurement iterations. */
struct bench_stats {
	__u64 ns;
	__u64 ops;
};

struct bench_keyset {
	struct bench_key k[BENCH_MAX_KEYS];
};

struct bench_stream {
	__u32 idx[BENCH_STREAM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_keyset);
} bench_keys SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_stream);
} bench_stream SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_stats);
} bench_stats SEC(".maps");

struct bench_batch {
	const struct bench_keyset *keys;
	const struct bench_stream *stream;
	__u64 t0;
	__u32 next;
	__u32 end;
	__u32 count;
	__u32 sequential;
	__u32 measured;
	__u32 idx; /* key index of the operation bench_next returned last */
	int hits; /* operations that found (lookup, delete) or stored (insert) their key */
};

static __always_inline int bench_begin(struct bench_batch *b, const struct bench_args *args)
{
	__u32 zero = 0;

	b->keys = bpf_map_lookup_elem(&bench_keys, &zero);
	b->stream = bpf_map_lookup_elem(&bench_stream, &zero);
	if (!b->keys || !b->stream)
		return -EINVAL;
	b->next = args->from;
	b->end = args->from + args->count;
	b->count = args->count;
	b->sequential = args->sequential;
	b->measured = args->measured;
	b->hits = 0;
	b->t0 = bpf_ktime_get_ns();
	return 0;
}

/* The key of the next operation, or NULL once the batch is done or the loop budget is spent. */
static __always_inline const struct bench_key *bench_next(struct bench_batch *b)
{
	__u32 n = b->next, i;

	/*
	 * Opaque to the compiler, so it cannot fold the position into a loop counter that starts
	 * at 0: the verifier would then track that counter exactly and never see the loop converge.
	 */
	barrier_var(n);
	if (n >= b->end || !can_loop)
		return NULL;
	i = b->sequential ? n : b->stream->idx[n & (BENCH_STREAM_LEN - 1)];
	b->next = n + 1;
	if (i >= BENCH_MAX_KEYS)
		return NULL;
	b->idx = i;
	return &b->keys->k[i];
}

/* Records the batch's in-kernel time; returns the hits, or -ECANCELED for a cut-short batch. */
static __always_inline int bench_end(struct bench_batch *b)
{
	__u64 ns = bpf_ktime_get_ns() - b->t0;
	__u32 zero = 0;
	struct bench_stats *s = bpf_map_lookup_elem(&bench_stats, &zero);

	if (b->next < b->end)
		return -ECANCELED;
	if (s && b->measured) {
		s->ns += ns;
		s->ops += b->count;
	}
	return b->hits;
}

/*
 * The batch program NAME_OP of a keyed structure: OP_one(s, key) on every key of the batch, with
 * s the structure STATE gives (NULL: -EINVAL). OP_one returns 0 when it found or stored its key
 * and -ENOENT when the key is absent; any other error ends the batch with that error, so a scan
 * cut short is never mistaken for a miss.
 */
#define BENCH_KEYED_BATCH(NAME, OP, TYPE, STATE)						\
SEC("syscall")											\
int NAME##_##OP(struct bench_args *args)							\
{												\
	TYPE s = STATE;										\
	const struct bench_key *key;								\
	struct bench_batch b;									\
	int err;										\
												\
	if (!s || bench_begin(&b, args))							\
		return -EINVAL;									\
	while ((key = bench_next(&b))) {							\
		err = OP##_one(s, key);								\
		if (!err)									\
			b.hits++;								\
		else if (err != -ENOENT)							\
			return err;								\
	}											\
	return bench_end(&b);									\
}

/* A key's 64-byte value: derived from the key so that no value table is needed. */
static __always_inline void bench_value_of(const struct bench_key *k, struct bench_value *v)
{
	for (int i = 0; i < 8; i++)
		v->w[i] = k->w[i & 3] ^ i;
}

/* Keys order as four unsigned 64-bit words, most significant first (Java's Key does the same). */
static __always_inline int bench_key_cmp(const struct bench_key *a, const struct bench_key *b)
{
	for (int i = 0; i < 4; i++) {
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	}
	return 0;
}

static __always_inline bool bench_key_eq(const struct bench_key *a, const struct bench_key *b)
{
	return ((a->w[0] ^ b->w[0]) | (a->w[1] ^ b->w[1]) | (a->w[2] ^ b->w[2]) | (a->w[3] ^ b->w[3])) == 0;
}

#endif /* FFKX_BENCH_H */
