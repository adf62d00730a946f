/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP fast path at sk_skb, shared by every offload that serves a byte stream.
 *
 * User space owns the listening socket. The sockops program below puts each connection accepted
 * on the configured port into ffkx_stream_socks as soon as it is established, so no byte can reach
 * the socket before the verdict program sees it. The verdict program frames per skb (no
 * stream_parser: with a parser the reply must be exactly as long as the request, and its
 * workqueue capped the rate): an skb made wholly of complete commands that the app answers is
 * rewritten into the replies and redirected to the same socket's egress; any other skb is passed
 * up whole.
 *
 * Ordering: once an skb is passed up, every later skb is passed up too until user space has
 * answered all passed bytes. The kernel counts bytes passed per connection (ffkx_stream_conns,
 * written only here); user space counts bytes answered (ffkx_stream_acks, written only by user
 * space). Each map has one writer, so neither can clobber the other. Equal counts mean caught up.
 *
 * Wakeups: the kernel calls the socket's original data_ready after every verdict, whatever it
 * decided (net/core/skmsg.c, sk_psock_verdict_data_ready -> sk_psock_data_ready), so a reader
 * polling the socket for input is woken for every skb, even for skbs answered here. User space
 * therefore does not poll offloaded sockets for input: each pass is announced on
 * ffkx_stream_events, a ring buffer whose wakeups are adaptive (one per batch the reader has not
 * consumed yet).
 *
 * An app includes this header once, defines
 *	static __always_inline int exec(const struct ffkx_text *in, __u32 pos, __u32 end,
 *					struct ffkx_text *out, __u32 *out_pos);
 * returning the bytes of the one command it answered at pos (its reply appended at *out_pos),
 * 0 if the command at pos is incomplete, or < 0 if the slow path must answer it, and writes
 * FFKX_STREAM_VERDICT(prog_name, exec).
 */
#ifndef FFKX_SK_STREAM_H
#define FFKX_SK_STREAM_H

#include "common.h"
#include "loop.h"
#include "text.h"

#ifndef FFKX_STREAM_MAX_CONNS
#define FFKX_STREAM_MAX_CONNS 65536
#endif

/* Kernel-owned, per connection: bytes passed up, bytes of replies redirected to egress. */
struct ffkx_stream_conn {
	__u64 passed;
	__u64 replied;
};

/*
 * Announces a pass. replied lets user space hold its own replies until the kernel's earlier
 * ones have left: redirected replies are sent by a kernel workqueue, user-space writes are not.
 */
struct ffkx_stream_event {
	__u64 cookie;
	__u64 passed;
	__u64 replied;
};

/* Which listening port the sockops program offloads; user space writes it after load. */
struct ffkx_stream_config {
	__u32 port;
};

struct ffkx_stream_scratch {
	struct ffkx_text in;
	struct ffkx_text out;
};

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, FFKX_STREAM_MAX_CONNS);
	__type(key, __u64); /* socket cookie */
	__type(value, __u64);
} ffkx_stream_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FFKX_STREAM_MAX_CONNS);
	__type(key, __u64);
	__type(value, struct ffkx_stream_conn);
} ffkx_stream_conns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FFKX_STREAM_MAX_CONNS);
	__type(key, __u64);
	__type(value, __u64); /* bytes answered by user space */
} ffkx_stream_acks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} ffkx_stream_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ffkx_stream_config);
} ffkx_stream_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ffkx_stream_scratch);
} ffkx_stream_scratch SEC(".maps");

/* Sockets accepted on the configured port join the SOCKHASH before their first byte arrives. */
SEC("sockops")
int ffkx_stream_sockops(struct bpf_sock_ops *skops)
{
	__u32 zero = 0;
	struct ffkx_stream_config *cfg;
	__u64 cookie;

	if (skops->op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB)
		return 1;
	cfg = bpf_map_lookup_elem(&ffkx_stream_config, &zero);
	if (!cfg || cfg->port == 0 || skops->local_port != cfg->port)
		return 1;
	cookie = bpf_get_socket_cookie(skops);
	bpf_sock_hash_update(skops, &ffkx_stream_socks, &cookie, BPF_NOEXIST);
	return 1;
}

/*
 * The connection's kernel-side counts, created on its first skb: replies must be counted from the
 * first one, or user space could not tell when they have all left.
 */
static __always_inline struct ffkx_stream_conn *ffkx_stream_conn_of(__u64 cookie)
{
	struct ffkx_stream_conn *conn = bpf_map_lookup_elem(&ffkx_stream_conns, &cookie);
	struct ffkx_stream_conn fresh = {};

	if (conn)
		return conn;
	bpf_map_update_elem(&ffkx_stream_conns, &cookie, &fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&ffkx_stream_conns, &cookie);
}

/* True while user space has not answered every byte passed up on this connection. */
static __always_inline bool ffkx_stream_behind(__u64 cookie, const struct ffkx_stream_conn *conn)
{
	__u64 *acked = bpf_map_lookup_elem(&ffkx_stream_acks, &cookie);

	return conn->passed != (acked ? *acked : 0);
}

/* Passes the skb up and tells user space which connection to read. */
static __always_inline int ffkx_stream_pass(__u64 cookie, struct ffkx_stream_conn *conn, __u32 len)
{
	struct ffkx_stream_event ev = { .cookie = cookie };

	conn->passed += len;
	ev.passed = conn->passed;
	ev.replied = conn->replied;
	bpf_ringbuf_output(&ffkx_stream_events, &ev, sizeof(ev), 0);
	return SK_PASS;
}

/*
 * Runs exec over every command of the skb. Returns the reply length, or < 0 when the skb must go
 * up: too long to copy, a command the app does not answer, a command cut at the skb's end, or
 * replies longer than the requests. Growing the skb with bpf_skb_change_tail before the redirect
 * was measured here (6.18) to stall the connection after a handful of replies, while shrinking
 * it works, so a longer answer is left to the slow path.
 */
#define ffkx_stream_answer(skb, s, exec)						\
	({										\
		__u32 __len = (skb)->len, __pos = 0, __out = 0;				\
		int __ret = -EINVAL;							\
		if (__len > 0 && __len <= FFKX_TEXT_BUF &&				\
		    !bpf_skb_load_bytes(skb, 0, (s)->in.b, __len)) {			\
			while (__pos < __len && can_loop) {				\
				int __n = exec(&(s)->in, __pos, __len, &(s)->out, &__out); \
				if (__n <= 0)						\
					break;						\
				__pos = ffkx_text_pos(__pos + __n);			\
			}								\
			if (__pos == __len && __out > 0 && __out <= __len)		\
				__ret = __out;						\
		}									\
		__ret;									\
	})

/* Turns the skb into the replies in out and sends it back on the socket it came from. */
static __always_inline int ffkx_stream_reply(struct __sk_buff *skb, __u64 cookie, struct ffkx_stream_conn *conn,
					     const struct ffkx_text *out, int len)
{
	if (len <= 0 || len > FFKX_TEXT_BUF)
		return -EINVAL;
	if (bpf_skb_change_tail(skb, len, 0))
		return -ENOMEM;
	if (bpf_skb_store_bytes(skb, 0, out->b, len, 0))
		return -EINVAL;
	conn->replied += len;
	return bpf_sk_redirect_hash(skb, &ffkx_stream_socks, &cookie, 0);
}

/* Defines the verdict program: exec answers one command (see the top of this file). */
#define FFKX_STREAM_VERDICT(name, exec)							\
SEC("sk_skb") /* libbpf 1.1 knows no "sk_skb/verdict"; attached as SK_SKB_VERDICT */									\
int name(struct __sk_buff *skb)								\
{											\
	struct ffkx_stream_conn *conn;							\
	struct ffkx_stream_scratch *s;							\
	__u64 cookie = bpf_get_socket_cookie(skb);					\
	__u32 zero = 0, len = skb->len;							\
	int out;									\
											\
	conn = ffkx_stream_conn_of(cookie);						\
	if (!conn)									\
		return SK_DROP; /* table full: a lost connection, never reordered replies */ \
	if (ffkx_stream_behind(cookie, conn))						\
		return ffkx_stream_pass(cookie, conn, len);				\
	s = bpf_map_lookup_elem(&ffkx_stream_scratch, &zero);				\
	if (!s)										\
		return ffkx_stream_pass(cookie, conn, len);				\
	out = ffkx_stream_answer(skb, s, exec);						\
	if (out <= 0)									\
		return ffkx_stream_pass(cookie, conn, len);				\
	/* the skb is rewritten now: if it cannot be sent, the connection is lost */	\
	return ffkx_stream_reply(skb, cookie, conn, &s->out, out) == SK_PASS ? SK_PASS : SK_DROP; \
}

#endif /* FFKX_SK_STREAM_H */
