/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memcached offload: one object, one heap, every entry point.
 *
 *   mc_xdp        UDP fast path: answers a one-command datagram with XDP_TX when its reply fits
 *                 one memcached frame; passes anything else up to the Java slow path's socket.
 *   mc_verdict    TCP fast path (sk_skb, ffkx/sk_stream.h): runs the commands of each skb, in
 *                 order, through the same engine, and leaves the rest to the slow path.
 *   mc_init       creates the store in a freshly initialised heap (after ffkx_heap_init).
 *   mc_exec       the slow path's way in: runs the engine on a request Java put in mc_slow_io.
 *   mc_flush      flush_all, as memcached does it (see mc_flush).
 *   mc_slow_op    item-level steps for what the engine cannot take in one request: values larger
 *                 than its buffer, and incr/decr results longer than the number they replace.
 */
#include <ffkx/packet.h>
#include <ffkx/sk_stream.h>
#include "mc_engine.h"

#define MC_UDP_HDR       8
#define MC_UDP_MAX_REPLY 1400 /* memcached's UDP_MAX_PAYLOAD_SIZE, frame header included */

/* Read-only configuration, written by Java before load. */
const volatile struct {
	__u16 port; /* UDP port, host order */
} mc_config SEC(".rodata") = { .port = 11211 };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mc_io);
} mc_scratch SEC(".maps");

/* The slow path's request and reply; one caller at a time (Java serialises). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mc_io);
} mc_slow_io SEC(".maps");

/*
 * Datagram order per client. UDP gives none, but memcached serving a client from one thread keeps
 * it, and so must the offload: once a datagram went up to the slow path, the client's later ones
 * follow it there until user space has answered all of them. XDP counts what it passed in one map,
 * the slow path what it finished in another, so each map has one writer. A datagram the slow
 * path's socket dropped would leave the counts apart for good; so a difference older than
 * MC_UDP_ORDER_NS means lost datagrams, not pending ones, and no longer holds the client back.
 */
#define MC_UDP_ORDER_NS (100 * 1000 * 1000ULL)

/*
 * When XDP last passed a datagram up, in jiffies. Until MC_UDP_ORDER_NS after it no client can be
 * held back, so the hit path skips both lookups; a jiffy lasts at least a millisecond (HZ <= 1000),
 * so MC_UDP_ORDER_JIFFIES of them cover MC_UDP_ORDER_NS.
 */
#define MC_UDP_ORDER_JIFFIES 100
__u64 mc_udp_last_pass;

struct mc_udp_passed {
	__u64 count;   /* datagrams XDP passed up */
	__u64 last_ns; /* when it last did */
};
struct mc_udp_client {
	__be32 addr;
	__be16 port;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct mc_udp_client);
	__type(value, struct mc_udp_passed);
} mc_udp_passed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct mc_udp_client);
	__type(value, __u64);
} mc_udp_answered SEC(".maps");

enum mc_counter {
	MC_CNT_UDP_FAST,     /* datagrams answered in XDP */
	MC_CNT_UDP_SLOW,     /* datagrams passed to the slow path, for any of these reasons: */
	MC_CNT_SLOW_FRAME,   /*   not a one-datagram request, or too long to copy */
	MC_CNT_SLOW_ORDER,   /*   earlier datagrams of the client are still in the slow path */
	MC_CNT_SLOW_PARSE,   /*   not a command the fast path parses, or several */
	MC_CNT_SLOW_EXEC,    /*   the engine declined it (its reply might not fit the frame, too) */
	MC_CNT_MAX,
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MC_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} mc_counters SEC(".maps");

static __always_inline void mc_count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&mc_counters, &which);

	if (c)
		(*c)++;
}

/*
 * The request and reply move between frame and buffer eight bytes at a time, by direct packet
 * access: bpf_xdp_load_bytes and bpf_xdp_store_bytes cost some 30 ns a call here. Blocks of 32
 * bytes first, as a loop step costs about what two copied words do; a last partial word is the
 * final eight bytes, overlapping the one before. Both take n >= 8 bytes at offset
 * MC_PAYLOAD of the frame; the caller checked the frame holds them, and that the program is not
 * frags-aware makes every frame linear.
 */
#define MC_PAYLOAD (sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct udphdr) + MC_UDP_HDR)

static __always_inline int mc_frame_read(struct xdp_md *ctx, struct ffkx_text *t, __u32 n)
{
	void *end = (void *)(long)ctx->data_end;
	void *from = (void *)(long)ctx->data + MC_PAYLOAD;
	__u32 i, d;

	if (n < 8 || n > FFKX_TEXT_BUF)
		return -EINVAL;
	for (i = ffkx_loop_from(0); i + 32 <= n; i += 32) {
		i = ffkx_text_pos(i);
		if (i + 32 > n || from + i + 32 > end)
			break;
		d = i & FFKX_TEXT_MASK;
		*(__u64 *)&t->b[d] = *(__u64 *)(from + i);
		*(__u64 *)&t->b[d + 8] = *(__u64 *)(from + i + 8);
		*(__u64 *)&t->b[d + 16] = *(__u64 *)(from + i + 16);
		*(__u64 *)&t->b[d + 24] = *(__u64 *)(from + i + 24);
		cond_break;
	}
	for (i = ffkx_loop_from(i); i + 8 <= n; i += 8) {
		i = ffkx_text_pos(i);
		if (i + 8 > n || from + i + 8 > end)
			break;
		*(__u64 *)&t->b[i & FFKX_TEXT_MASK] = *(__u64 *)(from + i);
		cond_break;
	}
	if (i + 8 <= n)
		return -ECANCELED;
	i = ffkx_text_pos(n - 8);
	if (from + i + 8 > end)
		return -EINVAL;
	*(__u64 *)&t->b[i & FFKX_TEXT_MASK] = *(__u64 *)(from + i);
	return 0;
}

static __always_inline int mc_frame_write(struct xdp_md *ctx, const struct ffkx_text *t, __u32 n)
{
	void *end = (void *)(long)ctx->data_end;
	void *to = (void *)(long)ctx->data + MC_PAYLOAD;
	__u32 i, d;

	if (n < 8 || n > FFKX_TEXT_BUF)
		return -EINVAL;
	for (i = ffkx_loop_from(0); i + 32 <= n; i += 32) {
		i = ffkx_text_pos(i);
		if (i + 32 > n || to + i + 32 > end)
			break;
		d = i & FFKX_TEXT_MASK;
		*(__u64 *)(to + i) = *(const __u64 *)&t->b[d];
		*(__u64 *)(to + i + 8) = *(const __u64 *)&t->b[d + 8];
		*(__u64 *)(to + i + 16) = *(const __u64 *)&t->b[d + 16];
		*(__u64 *)(to + i + 24) = *(const __u64 *)&t->b[d + 24];
		cond_break;
	}
	for (i = ffkx_loop_from(i); i + 8 <= n; i += 8) {
		i = ffkx_text_pos(i);
		if (i + 8 > n || to + i + 8 > end)
			break;
		*(__u64 *)(to + i) = *(const __u64 *)&t->b[i & FFKX_TEXT_MASK];
		cond_break;
	}
	if (i + 8 <= n)
		return -ECANCELED;
	i = ffkx_text_pos(n - 8);
	if (to + i + 8 > end)
		return -EINVAL;
	*(__u64 *)(to + i) = *(const __u64 *)&t->b[i & FFKX_TEXT_MASK];
	return 0;
}

/*
 * Grows the frame so a reply of up to the returned size fits, trying the largest reply memcached
 * sends in one datagram first, then smaller steps: how much a frame can grow depends on the
 * driver and on the buffer the packet arrived in.
 */
static __always_inline __u32 mc_make_room(struct xdp_md *ctx, __u32 req_len)
{
	static const __u32 steps[] = { MC_UDP_MAX_REPLY - MC_UDP_HDR, 512, 256, 128 };
	__u32 i;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		__u32 want = req_len + steps[i] > MC_UDP_MAX_REPLY - MC_UDP_HDR ?
			     MC_UDP_MAX_REPLY - MC_UDP_HDR : req_len + steps[i];

		if (want <= req_len || !bpf_xdp_adjust_tail(ctx, (int)want - (int)req_len))
			return want > req_len ? want : req_len;
	}
	return req_len;
}

/* The XDP program's body, inlined into it and into the cost measurement's wrapper. */
static __always_inline int mc_udp_serve(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	struct mc_store __arena *st;
	__u32 zero = 0, payload, req_len, reply_len, frame, room;
	__u64 size;
	__u32 why = MC_CNT_SLOW_FRAME;
	struct mc_udp_client client = {};
	struct mc_udp_passed *passed = NULL;
	struct mc_io *io;
	int len;

	if ((void *)(udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 ||
	    ip->protocol != IPPROTO_UDP || udp->dest != bpf_htons(mc_config.port) ||
	    (ip->frag_off & bpf_htons(0x3fff)))
		return XDP_PASS;
	payload = sizeof(*eth) + sizeof(*ip) + sizeof(*udp);
	frame = bpf_ntohs(udp->len);
	if (frame < sizeof(*udp) + MC_UDP_HDR || payload + frame - sizeof(*udp) > ctx->data_end - ctx->data)
		return XDP_PASS;
	req_len = frame - sizeof(*udp) - MC_UDP_HDR;
	/* one datagram, one request: seq 0 of 1 */
	if ((void *)udp + sizeof(*udp) + MC_UDP_HDR > end)
		return XDP_PASS;
	client.addr = ip->saddr;
	client.port = udp->source;
	if (bpf_jiffies64() - mc_udp_last_pass <= MC_UDP_ORDER_JIFFIES)
		passed = bpf_map_lookup_elem(&mc_udp_passed, &client);
	why = MC_CNT_SLOW_ORDER;
	if (passed) {
		__u64 *answered = bpf_map_lookup_elem(&mc_udp_answered, &client);

		if ((!answered || *answered != passed->count) &&
		    bpf_ktime_get_ns() - passed->last_ns < MC_UDP_ORDER_NS)
			goto slow;
	}
	why = MC_CNT_SLOW_FRAME;
	if (*(__u32 *)((void *)udp + sizeof(*udp) + 2) != bpf_htonl(1))
		goto slow;
	st = mc_store();
	io = bpf_map_lookup_elem(&mc_scratch, &zero);
	if (!st || !io || req_len == 0 || req_len > FFKX_TEXT_BUF)
		goto slow;
	if (req_len < 8 ? bpf_xdp_load_bytes(ctx, payload + MC_UDP_HDR, io->req.b, req_len) :
			  mc_frame_read(ctx, &io->req, req_len))
		goto slow;
	why = MC_CNT_SLOW_PARSE;
	if (mc_parse(&io->req, 0, req_len, &io->cmd) || io->cmd.end != req_len)
		goto slow;
	/* memcached answers each key of a multi-get over UDP in a message of its own */
	if (io->cmd.nkeys > 1)
		goto slow;
	/*
	 * Make room for the largest reply first: a command may change the store, and once it has,
	 * failing to send its reply would make the slow path run it a second time. Where the frame
	 * cannot grow, the reply must fit the request's room, and the engine declines beforehand.
	 */
	why = MC_CNT_SLOW_EXEC;
	if (io->cmd.op == MC_GET || io->cmd.op == MC_GETS) {
		/*
		 * A read changes nothing the slow path could not do again: it is answered first, and
		 * the frame grown once, by what its reply needs (growing zeroes the bytes it adds).
		 */
		len = mc_execute(io, MC_UDP_MAX_REPLY - MC_UDP_HDR);
		if (len <= 0 || len > MC_UDP_MAX_REPLY - MC_UDP_HDR ||
		    bpf_xdp_adjust_tail(ctx, len - (int)req_len))
			goto slow;
		room = len;
	} else {
		room = mc_make_room(ctx, req_len);
		len = mc_execute(io, room);
		if (len < 0 || len > room)
			goto slow_resized;
	}
	if (len == 0) {
		mc_count(MC_CNT_UDP_FAST);
		return XDP_DROP; /* noreply: memcached sends nothing */
	}
	reply_len = len;
	if (reply_len != room && bpf_xdp_adjust_tail(ctx, (int)reply_len - (int)room))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	ip = (void *)(eth + 1);
	udp = (void *)(ip + 1);
	if ((void *)udp + sizeof(*udp) + MC_UDP_HDR > end)
		return XDP_ABORTED;
	/* the mask, which clang must not drop, bounds all 64 bits of the size the helper is given */
	size = ffkx_opaque(reply_len) & FFKX_TEXT_MASK;
	if (!size || size > MC_UDP_MAX_REPLY - MC_UDP_HDR ||
	    (size < 8 ? bpf_xdp_store_bytes(ctx, payload + MC_UDP_HDR, io->resp.b, size) :
			mc_frame_write(ctx, &io->resp, size)))
		return XDP_ABORTED;

	ffkx_udp_turnaround(eth, ip, udp, MC_UDP_HDR + reply_len);
	/* the request id stays; seq 0 of 1 datagram */
	*(__u32 *)((void *)udp + sizeof(*udp) + 2) = bpf_htonl(1);
	*(__u16 *)((void *)udp + sizeof(*udp) + 6) = 0;
	mc_count(MC_CNT_UDP_FAST);
	return XDP_TX;
slow_resized:
	/* back to the request's own length, for the slow path's socket */
	if (room != req_len && bpf_xdp_adjust_tail(ctx, (int)req_len - (int)room))
		return XDP_ABORTED;
slow:
	mc_count(MC_CNT_UDP_SLOW);
	mc_count(why);
	mc_udp_last_pass = bpf_jiffies64();
	if (!passed) {
		struct mc_udp_passed none = {};

		bpf_map_update_elem(&mc_udp_passed, &client, &none, BPF_NOEXIST);
		passed = bpf_map_lookup_elem(&mc_udp_passed, &client);
	}
	if (passed) {
		__sync_fetch_and_add(&passed->count, 1);
		passed->last_ns = bpf_ktime_get_ns();
	}
	return XDP_PASS;
}

SEC("xdp")
int mc_xdp(struct xdp_md *ctx)
{
	return mc_udp_serve(ctx);
}

/* The TCP fast path's request and reply buffers: the skb is read into req, where the engine parses. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mc_io);
} mc_stream_io SEC(".maps");

static __always_inline struct ffkx_text *mc_stream_in(void)
{
	__u32 zero = 0;
	struct mc_io *io = bpf_map_lookup_elem(&mc_stream_io, &zero);

	return io ? &io->req : NULL;
}

/*
 * The one command at pos of the skb's bytes (in io->req), its reply appended at out_pos of out.
 * Returns consumed * MC_STREAM_STEP + reply bytes, or < 0: a storage command whose data block is
 * not all in this skb, a reply that would not fit, and anything the engine declines go up
 * untouched (the engine declines before it changes anything). A global function, so the
 * verifier checks the parser and the engine once rather than once per command of the loop.
 */
#define MC_STREAM_STEP (2 * FFKX_TEXT_BUF)

/*
 * memcached reads a command line as a C string, so a NUL ends it early: the slow path says what
 * that means. (Over UDP such a line reaches the engine only as a multi-key get, which goes up.)
 */
static __always_inline bool mc_line_has_nul(const struct ffkx_text *t, __u32 from, __u32 to)
{
	__u32 i;

	for (i = ffkx_loop_from(from); i < to && i < FFKX_TEXT_BUF; i++) {
		if (ffkx_text_at(t, i) == 0)
			return true;
		cond_break;
	}
	return i < to;
}

__noinline int mc_stream_step(struct ffkx_text *out, __u32 pos, __u32 end, __u32 out_pos)
{
	__u32 zero = 0, room = FFKX_TEXT_BUF - out_pos;
	struct mc_io *io = bpf_map_lookup_elem(&mc_stream_io, &zero);
	int len;

	if (!io || !out || out_pos > FFKX_TEXT_BUF || end > FFKX_TEXT_BUF || pos >= end)
		return -EINVAL;
	if (mc_parse(&io->req, pos, end, &io->cmd) || io->cmd.end <= pos || io->cmd.end > end)
		return -EINVAL;
	if (mc_line_has_nul(&io->req, pos, io->cmd.op >= MC_SET && io->cmd.op <= MC_CAS ? io->cmd.data_off : io->cmd.end))
		return -EINVAL;
	len = mc_execute(io, room);
	if (len < 0 || len > room)
		return -EINVAL;
	if (len > 0 && ffkx_text_put(out, &out_pos, io->resp.b, len))
		return -EINVAL; /* cannot happen: it fit room */
	return (io->cmd.end - pos) * MC_STREAM_STEP + len;
}

/* sk_stream.h's exec; in is io->req, where mc_stream_in had the skb read. */
static __always_inline int mc_stream_exec(const struct ffkx_text *in, __u32 pos, __u32 end, struct ffkx_text *out,
					  __u32 *out_pos)
{
	int r = mc_stream_step(out, pos, end, *out_pos);

	if (r <= 0)
		return -EINVAL;
	*out_pos = ffkx_text_pos(*out_pos + r % MC_STREAM_STEP);
	return r / MC_STREAM_STEP;
}

FFKX_STREAM_VERDICT_IN(mc_verdict, mc_stream_exec, mc_stream_in)

struct mc_init_args {
	__u64 buckets;         /* power of two */
	__u64 max_item;        /* bytes: memcached's -I, the item size limit */
	__u64 process_started; /* unix time of memcached clock 0 */
};

SEC("syscall")
int mc_init(struct mc_init_args *args)
{
	__u64 __arena *root = ffkx_heap_root(MC_ROOT);
	struct mc_store __arena *st;
	void __arena *buckets = NULL, *seqs = NULL;
	__u64 n = args->buckets;
	int err = 0;

	if (*root)
		return -EEXIST;
	if (!n || (n & (n - 1)) || n > (1ULL << 28))
		return -EINVAL;
	st = ffkx_zalloc(sizeof(*st), &err);
	if (st)
		buckets = ffkx_zalloc(n * sizeof(__u64), &err);
	if (buckets)
		seqs = ffkx_zalloc(n * sizeof(__u32), &err);
	if (!seqs) {
		ffkx_free(buckets);
		ffkx_free(st);
		return err;
	}
	st->buckets = (__u64)buckets;
	st->mask = n - 1;
	st->start_ns = bpf_ktime_get_ns();
	st->process_started = args->process_started;
	st->max_item = args->max_item;
	st->seqs = (__u64)seqs;
	*root = (__u64)st;
	return 0;
}

struct mc_exec_args {
	__u32 len;   /* in: request bytes in mc_slow_io.req */
	__s32 reply; /* out: reply bytes in mc_slow_io.resp, 0 for none, -1 if it was not for the engine */
};

SEC("syscall")
int mc_exec(struct mc_exec_args *args)
{
	struct mc_store __arena *st = mc_store();
	__u32 zero = 0, len = args->len;
	struct mc_io *io = bpf_map_lookup_elem(&mc_slow_io, &zero);

	if (!st || !io)
		return -ENOENT;
	if (len > FFKX_TEXT_BUF || mc_parse(&io->req, 0, len, &io->cmd) || io->cmd.end != len) {
		args->reply = MC_EXEC_SLOW;
		return 0;
	}
	args->reply = mc_execute(io, FFKX_TEXT_BUF);
	return 0;
}

enum mc_slow_op_kind {
	MC_OP_REF = 1,  /* find io->cmd.keys[0], pin it, report it (touch it too if touch is set) */
	MC_OP_UNREF,    /* let go of addr */
	MC_OP_MEASURE,  /* append/prepend: read the old item into io->pend */
	MC_OP_BUILD,    /* allocate io->cmd's item, key filled in, value left to the caller */
	MC_OP_COMMIT,   /* link the built item by io->cmd's rules; -EAGAIN: the old one changed */
};

struct mc_slow_op_args {
	__u32 kind;
	__u32 touch;
	__u64 addr;     /* in: UNREF; out: REF and BUILD */
	__u64 cas;      /* out: REF */
	__u32 flags;    /* out: REF */
	__u32 nbytes;   /* out: REF */
	__u32 exptime;  /* out: REF, memcached clock */
	__s32 result;   /* out: 0, an enum mc_result, MC_EXEC_SLOW or -errno */
};

/*
 * The slow path's item-level steps. A value read this way stays pinned (refs) until MC_OP_UNREF,
 * so Java can copy it out of the heap while the kernel goes on: a replaced or deleted item is
 * freed by the last reference.
 */
SEC("syscall")
int mc_slow_op(struct mc_slow_op_args *args)
{
	struct mc_store __arena *st = mc_store();
	struct mc_item __arena *dead = NULL, *it;
	__u32 zero = 0, now;
	struct mc_io *io = bpf_map_lookup_elem(&mc_slow_io, &zero);
	__u64 __arena *pprev;
	struct ffkx_lock *l;
	unsigned long irq;

	if (!st || !io)
		return -ENOENT;
	now = mc_now(st);
	io->pend.hash = mc_key_hash(&io->req, io->cmd.keys[0]);
	switch (args->kind) {
	case MC_OP_REF:
		l = mc_lock_of(st, io->pend.hash);
		if (!l || mc_lock(st, io->pend.hash, l, &irq)) {
			args->result = MC_EXEC_SLOW;
			return 0;
		}
		it = mc_find_locked(st, &io->req, io->cmd.keys[0], io->pend.hash, now, &pprev, &dead);
		if (it) {
			__sync_fetch_and_add(&it->refs, 1);
			it->referenced = 1;
			if (args->touch)
				it->exptime = mc_realtime(st, io->cmd.exptime, now);
			args->addr = (__u64)it;
			args->cas = it->cas;
			args->flags = it->flags;
			args->nbytes = it->nbytes;
			args->exptime = it->exptime;
		} else {
			args->addr = 0;
		}
		mc_unlock(st, io->pend.hash, l, &irq);
		mc_item_put(dead);
		args->result = 0;
		return 0;
	case MC_OP_UNREF:
		mc_item_put((struct mc_item __arena *)args->addr);
		args->result = 0;
		return 0;
	case MC_OP_MEASURE:
		args->result = mc_store_measure(io, now);
		return 0;
	case MC_OP_BUILD:
		io->pend.external = 1;
		args->result = mc_store_build(io, now);
		args->addr = io->pend.item;
		return 0;
	case MC_OP_COMMIT:
		args->result = mc_store_commit(io, now);
		return 0;
	}
	return -EINVAL;
}

struct mc_flush_args {
	__s64 delay; /* flush_all's argument: 0 for now, else when (relative or absolute) */
};

/*
 * flush_all: items stored up to the flush time are gone from then on. memcached keeps the
 * second before the flush, and for a flush now also the next cas unique, so an item stored in
 * the same second but before the flush goes too.
 */
SEC("syscall")
int mc_flush(struct mc_flush_args *args)
{
	struct mc_store __arena *st = mc_store();
	__u32 now, oldest;

	if (!st)
		return -ENOENT;
	now = mc_now(st);
	oldest = (args->delay > 0 ? mc_realtime(st, args->delay, now) : now) - 1;
	st->oldest_live = oldest;
	if (oldest <= now)
		st->oldest_cas = mc_next_cas(st);
	return 0;
}

FFKX_LICENSE;
