/*
 * One sorted set, without a keyspace: runs rd_zset_exec on a command Java puts in rd_ztest_io, as
 * the keyspace would for a single key (it creates the zset for writes and deletes it when empty).
 * rd_ztest_bench runs a batch of one command with a changing member, to time it in the kernel.
 */
#include "rd_zset.h"

#define RD_ZTEST_ROOT 0

struct rd_ztest_io {
	struct rd_argv argv;
	struct ffkx_text in;
	struct ffkx_text out;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rd_ztest_io);
} rd_ztest_io SEC(".maps");

struct rd_ztest_args {
	__u32 cmd;
	__u32 mode;
	__s32 ret;
	__u32 out_len;
	__u64 card;
	__u32 repeat;   /* rd_ztest_bench: runs */
	__u32 member;   /* rd_ztest_bench: the argument whose first 8 bytes become the run's number in hex */
	__u64 ns;       /* rd_ztest_bench: time spent */
};

static __always_inline int rd_ztest_one(struct rd_ztest_args *a, struct rd_ztest_io *io)
{
	__u64 __arena *root = ffkx_heap_root(RD_ZTEST_ROOT);
	struct rd_zset __arena *z = (struct rd_zset __arena *)(unsigned long)*root;
	__u32 pos = 0;
	int ret;

	if (!z && (a->cmd == RD_ZADD || a->cmd == RD_ZINCRBY)) {
		z = rd_zset_new();
		if (!z)
			return -ENOMEM;
		*root = (__u64)z;
	}
	ret = rd_zset_exec(a->cmd, z, a->mode, &io->in, &io->argv, &io->out, &pos);
	if (z && rd_zset_card(z) == 0) {
		rd_zset_destroy(z);
		*root = 0;
	}
	a->out_len = pos;
	a->card = rd_zset_card((struct rd_zset __arena *)(unsigned long)*root);
	return ret;
}

SEC("syscall")
int rd_ztest(struct rd_ztest_args *a)
{
	__u32 zero = 0;
	struct rd_ztest_io *io = bpf_map_lookup_elem(&rd_ztest_io, &zero);

	if (!io)
		return -ENOENT;
	a->ret = rd_ztest_one(a, io);
	return 0;
}

SEC("syscall")
int rd_ztest_bench(struct rd_ztest_args *a)
{
	__u32 zero = 0, i, j, n = a->repeat;
	struct rd_ztest_io *io = bpf_map_lookup_elem(&rd_ztest_io, &zero);
	struct ffkx_tok m;
	__u64 t0;
	int ret = 0;

	if (!io)
		return -ENOENT;
	m = io->argv.arg[a->member % RD_MAX_ARGS];
	t0 = bpf_ktime_get_ns();
	for (i = ffkx_loop_from(0); i < n; i++) {
		for (j = 0; j < 8; j++)
			io->in.b[(m.off + j) & FFKX_TEXT_MASK] = "0123456789abcdef"[(i >> (28 - 4 * j)) & 0xf];
		ret = rd_ztest_one(a, io);
		if (ret < 0)
			break;
		cond_break;
	}
	a->ns = bpf_ktime_get_ns() - t0;
	a->ret = ret;
	a->repeat = i;
	return 0;
}

FFKX_LICENSE;
