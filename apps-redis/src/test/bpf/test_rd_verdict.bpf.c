/*
 * The offload object plus one entry point for tests: rd_verdict_run runs the verdict's command
 * loop (sk_stream.h's ffkx_stream_answer, minus the skb) over a buffer Java fills, on the same
 * heap as rd_run, so the fast path's framing and its all-or-nothing rule are tested without
 * sockets (BPF_PROG_TEST_RUN does not run sk_skb programs).
 */
#include "redis.bpf.c"

struct rd_verdict_io {
	__u32 len;
	__s32 reply;  /* reply bytes the verdict would send, or -1 if it would pass the skb up */
	struct ffkx_text in;
	struct ffkx_text out;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rd_verdict_io);
} rd_verdict_io SEC(".maps");

SEC("syscall")
int rd_verdict_run(void *ctx)
{
	__u32 zero = 0, pos = 0, out = 0, len;
	struct rd_verdict_io *io = bpf_map_lookup_elem(&rd_verdict_io, &zero);

	if (!io)
		return -ENOENT;
	len = io->len;
	if (len == 0 || len > FFKX_TEXT_BUF)
		return -E2BIG;
	while (pos < len && can_loop) {
		int n = rd_stream_exec(&io->in, pos, len, &io->out, &out);

		if (n <= 0)
			break;
		pos = ffkx_text_pos(pos + n);
	}
	io->reply = pos == len && out > 0 && out <= len ? (int)out : -1;
	return 0;
}
