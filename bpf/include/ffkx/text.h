/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text-protocol helpers over a bounded byte buffer: lines, tokens, decimals.
 *
 * Requests are copied out of the packet (bpf_xdp_load_bytes, bpf_skb_load_bytes) or out of a
 * map into a buffer of FFKX_TEXT_BUF bytes, so every parser reads plain memory with positions
 * masked to the buffer: the verifier sees each access in bounds without per-byte packet checks.
 * Parsers are strict: whatever they do not fully understand they report as such, and the caller
 * hands the request to the slow path, which speaks the whole protocol.
 */
#ifndef FFKX_TEXT_H
#define FFKX_TEXT_H

#include "common.h"
#include "loop.h"

#define FFKX_TEXT_BUF  2048 /* power of two: positions are masked with FFKX_TEXT_MASK */
#define FFKX_TEXT_MASK (FFKX_TEXT_BUF - 1)

struct ffkx_text {
	__u8 b[FFKX_TEXT_BUF];
};

/* A token: [off, off + len) of the buffer it came from. */
struct ffkx_tok {
	__u16 off;
	__u16 len;
};

static __always_inline __u8 ffkx_text_at(const struct ffkx_text *t, __u32 i)
{
	return t->b[i & FFKX_TEXT_MASK];
}

/*
 * A position in [0, FFKX_TEXT_BUF] that the verifier tracks as a range (see ffkx_loop_from). Loops
 * over text take their index through it on every iteration, so no bound the verifier derives from
 * a comparison narrows the index and makes the next iteration look new.
 */
static __always_inline __u32 ffkx_text_pos(__u32 pos)
{
	__u32 p = ffkx_loop_from(pos);

	return p > FFKX_TEXT_BUF ? FFKX_TEXT_BUF : p;
}

/*
 * Index of the first '\n' in [from, end), or -ENOENT if the line is not complete yet, or
 * -ECANCELED if the loop budget ran out before the answer was known.
 */
static __always_inline int ffkx_text_find_eol(const struct ffkx_text *t, __u32 from, __u32 end)
{
	__u32 i;

	if (end > FFKX_TEXT_BUF)
		return -E2BIG;
	for (i = from; i < end; i++) {
		i = ffkx_text_pos(i);
		if (i >= end)
			break;
		if (ffkx_text_at(t, i) == '\n')
			return i;
		cond_break;
	}
	return i >= end ? -ENOENT : -ECANCELED;
}

/*
 * Splits [from, end) on single spaces into at most max tokens, as memcached and Redis inline
 * commands do. Runs of spaces separate like one space. Returns the token count, or -E2BIG when
 * there are more than max tokens.
 */
static __always_inline int ffkx_text_tokenize(const struct ffkx_text *t, __u32 from, __u32 end,
					      struct ffkx_tok *toks, int max)
{
	int n = 0;
	__u32 i, start;

	if (end > FFKX_TEXT_BUF)
		return -E2BIG;
	i = from;
	while (i < end) {
		while (i < end && ffkx_text_at(t, i) == ' ') {
			i = ffkx_text_pos(i + 1);
			cond_break;
		}
		if (i >= end)
			break;
		start = i;
		while (i < end && ffkx_text_at(t, i) != ' ') {
			i = ffkx_text_pos(i + 1);
			cond_break;
		}
		if (n >= max)
			return -E2BIG;
		toks[n].off = start;
		toks[n].len = i - start;
		n++;
		cond_break;
	}
	return i >= end ? n : -ECANCELED;
}

/* True when the token is exactly the NUL-terminated word w (compile-time string). */
static __always_inline bool ffkx_tok_is(const struct ffkx_text *t, struct ffkx_tok tok, const char *w,
					__u32 wlen)
{
	__u32 i;

	if (tok.len != wlen)
		return false;
	for (i = 0; i < wlen; i++) {
		if (ffkx_text_at(t, tok.off + i) != (__u8)w[i])
			return false;
	}
	return true;
}

#define FFKX_TOK_IS(t, tok, word) ffkx_tok_is(t, tok, word, sizeof(word) - 1)

/*
 * Parses a token made only of ASCII digits into *out. Signs, spaces and overflow are refused
 * (-EINVAL, -ERANGE): those are the corner cases each protocol treats its own way, so they go
 * to the slow path.
 */
static __always_inline int ffkx_tok_u64(const struct ffkx_text *t, struct ffkx_tok tok, __u64 *out)
{
	__u32 i, len = tok.len;
	__u64 v = 0;

	if (len == 0 || len > 20)
		return -EINVAL;
	for (i = 0; i < len && i < 20; i++) {
		__u8 c = ffkx_text_at(t, tok.off + i);
		__u64 next;

		if (c < '0' || c > '9')
			return -EINVAL;
		next = v * 10 + (c - '0');
		if (v > 1844674407370955161ULL || next < v * 10)
			return -ERANGE;
		v = next;
		cond_break;
	}
	if (i < len)
		return -ECANCELED;
	*out = v;
	return 0;
}

/* Like ffkx_tok_u64, with one optional leading '-'; the magnitude must fit an s64. */
static __always_inline int ffkx_tok_s64(const struct ffkx_text *t, struct ffkx_tok tok, __s64 *out)
{
	bool neg = tok.len > 1 && ffkx_text_at(t, tok.off) == '-';
	struct ffkx_tok mag = { .off = tok.off + neg, .len = tok.len - neg };
	__u64 v;
	int err = ffkx_tok_u64(t, mag, &v);

	if (err)
		return err;
	if (v > (__u64)0x7fffffffffffffffULL)
		return -ERANGE;
	*out = neg ? -(__s64)v : (__s64)v;
	return 0;
}

/*
 * FNV-1a over a token's bytes. The same function hashes keys
 * wherever they come from, so a key hashes alike in every program of an object.
 */
static __always_inline __u32 ffkx_tok_hash(const struct ffkx_text *t, struct ffkx_tok tok)
{
	__u32 h = 2166136261U, i, len = tok.len;

	for (i = ffkx_loop_from(0); i < len && i < FFKX_TEXT_BUF; i++) {
		i = ffkx_text_pos(i);
		h = (h ^ ffkx_text_at(t, tok.off + i)) * 16777619U;
		cond_break;
	}
	return h;
}

/* Appends n bytes of src at *pos of dst; -ENOSPC (and nothing written) if they do not fit. */
static __always_inline int ffkx_text_put(struct ffkx_text *dst, __u32 *pos, const __u8 *src, __u32 n)
{
	__u32 i, p = *pos;

	if (n > FFKX_TEXT_BUF || p + n > FFKX_TEXT_BUF)
		return -ENOSPC;
	for (i = ffkx_loop_from(0); i < n; i++) {
		dst->b[(p + i) & FFKX_TEXT_MASK] = src[i];
		cond_break;
	}
	if (i < n)
		return -ECANCELED;
	*pos = ffkx_text_pos(p + n);
	return 0;
}

#define FFKX_TEXT_PUT_LIT(dst, pos, lit) ffkx_text_put(dst, pos, (const __u8 *)(lit), sizeof(lit) - 1)

/*
 * Appends v in decimal. The digits go straight into dst, from the last one back: a scratch array
 * on the stack would hold different partial values on every path, and the verifier could then
 * never tell two paths alike.
 */
static __always_inline int ffkx_text_put_u64(struct ffkx_text *dst, __u32 *pos, __u64 v)
{
	__u32 n = 1, i, p = *pos;
	__u64 t;

	for (t = v; t >= 10 && n < 20; n++)
		t /= 10;
	n = ffkx_loop_from(n);
	if (n > 20 || p + n > FFKX_TEXT_BUF)
		return -ENOSPC;
	for (i = ffkx_loop_from(0); i < n; i++) {
		/* recomputed each time: a decrementing index clang derives would slide its bounds */
		dst->b[ffkx_text_pos(p + n - 1 - i) & FFKX_TEXT_MASK] = '0' + v % 10;
		v /= 10;
		cond_break;
	}
	*pos = ffkx_text_pos(p + n);
	return 0;
}

#endif /* FFKX_TEXT_H */
