/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP fast path at sk_skb, shared by every offload that serves a byte stream.
 *
 * User space owns the listening socket. The sockops program below puts each connection accepted
 * on the configured port into ffkx_stream_socks as soon as it is established, so no byte can reach
 * the socket before the verdict program sees it. The verdict program frames per skb (no
 * stream_parser: with a parser the reply must be exactly as long as the request, and its
 * workqueue capped the rate) and runs the app's commands from the skb's start.
 *
 * Delivery. An skb answered whole is rewritten into its replies and redirected to the socket's
 * egress, when that keeps the connection's drift (below) at or under zero; an skb answered whole
 * with no reply at all (noreply) is dropped. An skb answered whole whose replies cannot be
 * redirected is dropped too, and its announcement carries the replies for user space to send
 * (dropped, it costs no drift and no read). Otherwise the skb is passed up whole, and its
 * announcement carries how many of its first bytes the kernel answered and their replies, which
 * user space sends in their place. Bytes handed to user space either way count as passed.
 *
 * Drift. A redirected or dropped skb advances the socket's copied_seq by its length after the
 * program ran (net/ipv4/tcp_bpf.c, tcp_eat_skb), not by the bytes that arrived. A reply longer
 * than its request therefore moves copied_seq past rcv_nxt; TCP then calls data_ready only once
 * rcv_nxt has passed copied_seq again (tcp_data_ready -> tcp_epollin_ready, avail <= 0), so the
 * next request is left unread and a client waiting for its reply waits forever: the stall
 * measured here (6.18) after a handful of grown replies. drift = bytes eaten - bytes arrived, over
 * this connection's redirected skbs; replies shorter than their requests make it negative, which
 * is harmless until it nears 2^31 (avail is an int), so it is kept above -FFKX_STREAM_MAX_CREDIT.
 *
 * Ordering: a passed skb whose commands the kernel did not all answer leaves work to user space,
 * and the kernel executes nothing more on the connection until user space has answered every
 * passed byte up to it (slow_end). Nothing is redirected while any passed byte is unanswered,
 * since a redirected reply would overtake user space's. The kernel counts bytes passed per
 * connection (ffkx_stream_conns, written only here); user space counts bytes answered
 * (ffkx_stream_acks, written only by user space). Each map has one writer.
 *
 * Wakeups: the kernel calls the socket's original data_ready after every verdict, whatever it
 * decided (net/core/skmsg.c, sk_psock_verdict_data_ready -> sk_psock_data_ready), so a reader
 * polling the socket for input is woken for every skb, even for skbs answered here. Each hand-over
 * is announced on ffkx_stream_events, a ring buffer; either its wakeups signal user space
 * (adaptive: one per batch the reader has not consumed yet) and user space does not poll offloaded
 * sockets for input, or, with ffkx_stream_config.quiet, announcements of skbs answered whole wake
 * nobody and user space polls the sockets edge-triggered, draining the ring on every wakeup (the
 * announcement is made before the socket's wakeup, and a byte of lag keeps every wakeup
 * reportable: ffkx_stream_hand). Passes still wake through the ring: with quiet passes too, a TCP
 * differential run left 18 batches of 50,000 commands unanswered, wakeups never seen (not
 * explained yet).
 *
 * Back-pressure: the ring buffer fills only when user space stops reading it (a stalled process,
 * a long pause). Once less than FFKX_STREAM_RING_SLACK of it is free the kernel runs no command:
 * every skb is passed up and announced in a 48-byte record, which the slack holds over a thousand
 * of, and user space answers them when it resumes. Should one still find no room, the
 * bytes are passed up unannounced: the connection's lost_end marks them and ffkx_stream_lost
 * counts the loss, and user space, watching that counter, takes them as passed unanswered. The
 * kernel runs nothing more on the connection until they are answered (slow_end), so every later
 * announcement is a plain pass that may safely absorb them. A record that carried replies could
 * be lost only if other CPUs filled the slack while one verdict ran.
 *
 * An app includes this header once, defines
 *	static __always_inline int exec(const struct ffkx_text *in, __u32 pos, __u32 end,
 *					struct ffkx_text *out, __u32 *out_pos);
 * returning the bytes of the one command it answered at pos (its reply appended at *out_pos),
 * 0 if the command at pos is incomplete, or < 0 if the slow path must answer it; exec must leave
 * everything unchanged when it does not answer. It then writes FFKX_STREAM_VERDICT(prog_name,
 * exec), or FFKX_STREAM_VERDICT_IN(prog_name, exec, in_buf) to have the skb's bytes loaded into
 * the buffer in_buf() returns (a map value of its own, NULL if unavailable).
 */
#ifndef FFKX_SK_STREAM_H
#define FFKX_SK_STREAM_H

#include "common.h"
#include "loop.h"
#include "text.h"

#ifndef FFKX_STREAM_MAX_CONNS
#define FFKX_STREAM_MAX_CONNS 65536
#endif

#define FFKX_STREAM_RING_BYTES (1024 * 1024)
#define FFKX_STREAM_RING_SLACK (64 * 1024)

#ifndef FFKX_STREAM_MAX_CREDIT
#define FFKX_STREAM_MAX_CREDIT (1LL << 30)
#endif

/* Kernel-owned, per connection. */
struct ffkx_stream_conn {
	__u64 passed;   /* bytes passed up */
	__u64 replied;  /* bytes of replies redirected to egress */
	__u64 slow_end; /* passed bytes up to here include commands the kernel left to user space */
	__s64 drift;    /* copied_seq - rcv_nxt that redirects caused (see the top of this file) */
	__u64 lost_end; /* passed bytes up to here include some never announced (see Back-pressure) */
};

/*
 * Announces a pass. replied lets user space hold its own replies until the kernel's earlier
 * ones have left: redirected replies are sent by a kernel workqueue, user-space writes are not.
 * The first answered bytes of the pass are commands the kernel ran; reply_len bytes of their
 * replies follow the record, for user space to send in their place.
 */
struct ffkx_stream_event {
	__u64 cookie;
	__u64 passed;
	__u64 replied;
	__u32 answered;
	__u32 reply_len;
	__u32 dropped; /* 1: the skb was answered whole and dropped; its bytes never reach the socket */
	__u32 pad;
};

/*
 * Written by user space after load: which listening port the sockops program offloads, and
 * whether announcements wake the reader (quiet = 0) or, for skbs answered whole and dropped, rely
 * on the socket's own wakeup, which follows every verdict (quiet = 1). A ring-buffer wakeup is an irq_work, which on x86 is a
 * self-IPI: in a VM, an exit per announcement, measured here as the hottest spot of the verdict.
 */
struct ffkx_stream_config {
	__u32 port;
	__u32 quiet;
};

/*
 * ev and out are adjacent: an announcement is sent as one record straight from here. fresh stays
 * zero: a new connection's counts, kept off the verdict's stack, which the engines it calls share.
 */
struct ffkx_stream_scratch {
	struct ffkx_stream_event ev;
	struct ffkx_text out;
	struct ffkx_text in;
	struct ffkx_stream_conn fresh;
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
	__uint(max_entries, FFKX_STREAM_RING_BYTES);
} ffkx_stream_events SEC(".maps");

/* Announcements that found ffkx_stream_events full; user space reads it through its mapping. */
__u64 ffkx_stream_lost SEC(".data.stream") = 0;

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
static __always_inline struct ffkx_stream_conn *ffkx_stream_conn_of(__u64 cookie, struct ffkx_stream_scratch *s)
{
	struct ffkx_stream_conn *conn = bpf_map_lookup_elem(&ffkx_stream_conns, &cookie);

	if (conn)
		return conn;
	bpf_map_update_elem(&ffkx_stream_conns, &cookie, &s->fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&ffkx_stream_conns, &cookie);
}

/* Bytes user space has answered on this connection. */
static __always_inline __u64 ffkx_stream_acked(__u64 cookie)
{
	__u64 *acked = bpf_map_lookup_elem(&ffkx_stream_acks, &cookie);

	return acked ? *acked : 0;
}

static __always_inline struct ffkx_text *ffkx_stream_in(void)
{
	__u32 zero = 0;
	struct ffkx_stream_scratch *s = bpf_map_lookup_elem(&ffkx_stream_scratch, &zero);

	return s ? &s->in : NULL;
}

/*
 * Hands the skb to user space (verdict: SK_PASS, or SK_DROP when it was answered whole) and tells
 * it which connection to serve; the first answered bytes were run here, and their reply_len bytes
 * of replies are in s->out. Bytes past answered are the slow path's, so nothing more runs here
 * until user space has answered them.
 */
static __always_inline int ffkx_stream_hand(struct __sk_buff *skb, struct ffkx_stream_scratch *s, __u64 cookie,
					    struct ffkx_stream_conn *conn, __u32 len, __u32 answered, __u32 reply_len,
					    int verdict, bool quiet)
{
	/*
	 * A quiet announcement relies on the socket's wakeup, but epoll reports it only if the socket
	 * polls readable then (ep_send_events polls again): a passed skb is, a dropped one is not,
	 * unless copied_seq lags rcv_nxt. One byte eaten short keeps it lagging for good.
	 */
	if (verdict != SK_DROP)
		quiet = false; /* see "Wakeups" at the top */
	if (quiet && conn->drift >= 0) {
		if (len > 1 && !bpf_skb_change_tail(skb, len - 1, 0))
			conn->drift -= 1;
		else
			quiet = false;
	}
	__u64 size = sizeof(s->ev) + (ffkx_opaque(reply_len) & (2 * FFKX_TEXT_BUF - 1));

	conn->passed += len;
	if (answered < len)
		conn->slow_end = conn->passed;
	s->ev.cookie = cookie;
	s->ev.passed = conn->passed;
	s->ev.replied = conn->replied;
	s->ev.answered = answered;
	s->ev.reply_len = reply_len;
	s->ev.dropped = verdict == SK_DROP;
	s->ev.pad = 0;
	if (reply_len > FFKX_TEXT_BUF || size > sizeof(s->ev) + FFKX_TEXT_BUF)
		return SK_DROP; /* cannot happen: out holds FFKX_TEXT_BUF bytes */
	if (bpf_ringbuf_output(&ffkx_stream_events, &s->ev, size, quiet ? BPF_RB_NO_WAKEUP : 0)) {
		conn->slow_end = conn->passed; /* see Back-pressure at the top */
		conn->lost_end = conn->passed;
		__sync_fetch_and_add(&ffkx_stream_lost, 1);
	}
	return verdict;
}

/* Whether the ring buffer has room for what running commands here may announce (Back-pressure). */
static __always_inline bool ffkx_stream_room(void)
{
	return bpf_ringbuf_query(&ffkx_stream_events, BPF_RB_AVAIL_DATA) < FFKX_STREAM_RING_BYTES - FFKX_STREAM_RING_SLACK;
}

/*
 * Runs exec over the commands at the start of in (len bytes); returns how many bytes it answered,
 * their replies in out[0, *out_len).
 */
#define ffkx_stream_answer(in, len, out, out_len, exec)					\
	({										\
		__u32 __pos = 0;							\
		*(out_len) = 0;								\
		while (__pos < (len) && can_loop) {					\
			int __n = exec(in, __pos, len, out, out_len);			\
			if (__n <= 0)							\
				break;							\
			__pos = ffkx_text_pos(__pos + __n);				\
		}									\
		__pos;									\
	})

/* Turns the skb into the replies in out and sends it back on the socket it came from. */
static __always_inline int ffkx_stream_reply(struct __sk_buff *skb, __u64 cookie, struct ffkx_stream_conn *conn,
					     const struct ffkx_text *out, __u32 len)
{
	__u64 size = ffkx_opaque(len) & (2 * FFKX_TEXT_BUF - 1);

	if (len == 0 || len > FFKX_TEXT_BUF || size > FFKX_TEXT_BUF)
		return -EINVAL;
	if (bpf_skb_change_tail(skb, len, 0))
		return -ENOMEM;
	if (!size || bpf_skb_store_bytes(skb, 0, out->b, size, 0))
		return -EINVAL;
	conn->replied += len;
	return bpf_sk_redirect_hash(skb, &ffkx_stream_socks, &cookie, 0);
}

/*
 * Whether replies of out bytes to len bytes of requests may leave by redirect: nothing passed is
 * unanswered, and the drift stays at or below zero (below, for quiet announcements) and above
 * the floor.
 */
static __always_inline bool ffkx_stream_may_redirect(const struct ffkx_stream_conn *conn, __u64 acked, __u32 len,
						     __u32 out, bool quiet)
{
	__s64 drift = conn->drift + (__s64)out - (__s64)len;

	/* quiet announcements need the lag of a byte (see ffkx_stream_hand) */
	return acked == conn->passed && drift <= (quiet ? -1 : 0) && drift > -FFKX_STREAM_MAX_CREDIT;
}

/* Defines the verdict program; exec answers one command, in_buf gives the buffer the skb is read into. */
#define FFKX_STREAM_VERDICT_IN(name, exec, in_buf)					\
SEC("sk_skb") /* libbpf 1.1 knows no "sk_skb/verdict"; attached as SK_SKB_VERDICT */	\
int name(struct __sk_buff *skb)								\
{											\
	struct ffkx_stream_conn *conn;							\
	struct ffkx_stream_scratch *s;							\
	struct ffkx_stream_config *cfg;							\
	struct ffkx_text *in;								\
	bool quiet;									\
	__u64 cookie = bpf_get_socket_cookie(skb), acked;				\
	__u32 zero = 0, len = skb->len, answered = 0, out = 0, load;			\
											\
	s = bpf_map_lookup_elem(&ffkx_stream_scratch, &zero);				\
	conn = s ? ffkx_stream_conn_of(cookie, s) : NULL;				\
	if (!conn || !s)								\
		return SK_DROP; /* table full: a lost connection, never reordered replies */ \
	acked = ffkx_stream_acked(cookie);						\
	cfg = bpf_map_lookup_elem(&ffkx_stream_config, &zero);				\
	quiet = cfg && cfg->quiet;							\
	in = in_buf();									\
	load = ffkx_opaque(len); /* bounded on its own: clang may test len - 1 instead */ \
	if (acked >= conn->slow_end && in && load > 0 && load <= FFKX_TEXT_BUF &&	\
	    ffkx_stream_room() && !bpf_skb_load_bytes(skb, 0, in->b, load))		\
		answered = ffkx_stream_answer(in, len, &s->out, &out, exec);		\
	if (answered == len && out > 0 && ffkx_stream_may_redirect(conn, acked, len, out, quiet)) { \
		/* the skb is rewritten now: if it cannot be sent, the connection is lost */ \
		if (ffkx_stream_reply(skb, cookie, conn, &s->out, out) != SK_PASS)	\
			return SK_DROP;							\
		conn->drift += (__s64)out - (__s64)len;					\
		return SK_PASS;								\
	}										\
	if (answered == len && len > 0 && out == 0)					\
		return SK_DROP; /* all noreply: eaten as it came, nothing to send */	\
	return ffkx_stream_hand(skb, s, cookie, conn, len, answered, out,		\
				answered == len && len > 0 ? SK_DROP : SK_PASS, quiet);	\
}

#define FFKX_STREAM_VERDICT(name, exec) FFKX_STREAM_VERDICT_IN(name, exec, ffkx_stream_in)

#endif /* FFKX_SK_STREAM_H */
