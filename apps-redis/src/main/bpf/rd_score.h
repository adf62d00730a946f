/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sorted-set scores without floating point: what the kernel may parse, print and add exactly.
 *
 * A score is a double's IEEE-754 bits. Redis 7.0 parses scores with strtod and prints them with
 * "%.17g"; the kernel does neither in general. In RD_MODE_FAST it parses only decimal integers of
 * magnitude at most 2^53 and the infinities strtod accepts ("inf", "infinity", any case, signed),
 * and prints only integral scores below 2^53 in magnitude and the infinities: those convert
 * exactly both ways. Anything else goes to the slow path, which speaks RD_MODE_SYSCALL: every
 * score argument arrives as '#' and 16 hex digits of the bits (Java parsed it), and every score
 * in a reply leaves as ',' and 16 hex digits and CRLF, which Java prints.
 *
 * Additions (ZINCRBY, ZADD INCR) are exact in both modes: rd_score_add rounds as IEEE-754 does,
 * on integers. So the read-modify-write stays one kernel operation under the zset's lock, and the
 * slow path never has to add outside of it.
 */
#ifndef RD_SCORE_H
#define RD_SCORE_H

#include <ffkx/score.h>
#include <ffkx/text.h>
#include "rd_cmd.h"

#define RD_SCORE_INF      0x7ff0000000000000ULL
#define RD_SCORE_NINF     0xfff0000000000000ULL
#define RD_SCORE_NAN      0x7ff8000000000000ULL
#define RD_SCORE_MANT     ((1ULL << 52) - 1)
#define RD_SCORE_HIDDEN   (1ULL << 52)
#define RD_SCORE_EXACT    (1ULL << 53)
#define RD_SCORE_HEX_LEN  17 /* '#' and 16 hex digits */
#define RD_SCORE_LINE_LEN 19 /* ',' and 16 hex digits and CRLF */

static __always_inline bool rd_score_is_nan(__u64 bits)
{
	return (bits << 1) > (RD_SCORE_INF << 1);
}

/* Leading zero bits of a non-zero word: BPF has no such instruction. */
static __always_inline __u32 rd_clz64(__u64 v)
{
	__u32 n = 0;

	if (!(v >> 32)) {
		n += 32;
		v <<= 32;
	}
	if (!(v >> 48)) {
		n += 16;
		v <<= 16;
	}
	if (!(v >> 56)) {
		n += 8;
		v <<= 8;
	}
	if (!(v >> 60)) {
		n += 4;
		v <<= 4;
	}
	if (!(v >> 62)) {
		n += 2;
		v <<= 2;
	}
	if (!(v >> 63))
		n += 1;
	return n;
}

/* The double equal to the integer v (at most 2^53), negated if neg: exact. */
static __always_inline __u64 rd_score_from_int(__u64 v, bool neg)
{
	__u64 sign = neg ? FFKX_SCORE_SIGN : 0, m;
	__u32 h;

	if (!v)
		return sign; /* strtod("-0") is -0.0 */
	h = 63 - rd_clz64(v);
	m = h <= 52 ? v << (52 - h) : v >> (h - 52);
	return sign | ((__u64)(1023 + h) << 52) | (m & RD_SCORE_MANT);
}

/*
 * RD_MODE_FAST: a score the kernel reads exactly, into *bits. -EINVAL for anything else, which
 * is not necessarily invalid (0.5, 1e3, " 1"): the slow path decides.
 */
static __always_inline int rd_score_parse_fast(const struct ffkx_text *t, struct ffkx_tok tok, __u64 *bits)
{
	__u32 i = 0, len = tok.len;
	struct ffkx_tok word;
	__u64 v = 0;
	bool neg = false;
	__u8 c;

	if (len == 0 || len > 20)
		return -EINVAL;
	c = ffkx_text_at(t, tok.off);
	if (c == '+' || c == '-') {
		neg = c == '-';
		i = 1;
	}
	word.off = tok.off + i;
	word.len = len - i;
	if (RD_WORD(t, word, "INF") || RD_WORD(t, word, "INFINITY")) {
		*bits = neg ? RD_SCORE_NINF : RD_SCORE_INF;
		return 0;
	}
	if (i >= len)
		return -EINVAL;
	for (i = ffkx_loop_from(i); i < len && i < 20; i++) {
		c = ffkx_text_at(t, tok.off + i);
		if (c < '0' || c > '9')
			return -EINVAL;
		v = ffkx_opaque(v * 10 + (c - '0'));
		if (v > RD_SCORE_EXACT)
			return -EINVAL;
		cond_break;
	}
	if (i < len)
		return -EINVAL;
	*bits = rd_score_from_int(v, neg);
	return 0;
}

/* RD_MODE_SYSCALL: '#' and 16 hex digits (lower or upper case), not NaN. -EINVAL otherwise. */
static __always_inline int rd_score_parse_hex(const struct ffkx_text *t, struct ffkx_tok tok, __u64 *bits)
{
	__u64 v = 0;
	__u32 i;
	__u8 c;

	if (tok.len != RD_SCORE_HEX_LEN || ffkx_text_at(t, tok.off) != '#')
		return -EINVAL;
	for (i = ffkx_loop_from(1); i < RD_SCORE_HEX_LEN; i++) {
		c = ffkx_text_at(t, tok.off + i);
		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return -EINVAL;
		/* opaque: a value tracked bit by bit would make every digit's three paths states of their own */
		v = ffkx_opaque(v << 4 | c);
		cond_break;
	}
	if (i < RD_SCORE_HEX_LEN || rd_score_is_nan(v))
		return -EINVAL;
	*bits = v;
	return 0;
}

/*
 * A score argument in the mode's form (tok packed as off | len << 16). A global function: its
 * branches (sign, digits, the exponent's search) would otherwise multiply every caller's states.
 */
__noinline int rd_score_parse_tok(const struct ffkx_text *t, __u32 tok, __u32 syscall, __u64 *bits)
{
	struct ffkx_tok k = { .off = tok & 0xffff, .len = tok >> 16 };

	if (!t || !bits)
		return -EINVAL;
	return syscall ? rd_score_parse_hex(t, k, bits) : rd_score_parse_fast(t, k, bits);
}

static __always_inline int rd_score_parse(const struct ffkx_text *t, struct ffkx_tok tok, bool syscall, __u64 *bits)
{
	__u64 v = 0;
	int err = rd_score_parse_tok(t, tok.off | (__u32)tok.len << 16, syscall, &v);

	*bits = v;
	return err;
}

/*
 * The integer a score equals, if it is one the fast path prints: |v| < 2^53, or 0 with the sign
 * of -0.0. Returns 1 for an integer (*mag, *neg), 2 for an infinity (*neg), -EINVAL otherwise.
 */
static __always_inline int rd_score_integral(__u64 bits, __u64 *mag, bool *neg)
{
	__u32 e = (bits >> 52) & 0x7ff;
	__u64 m = bits & RD_SCORE_MANT;
	int shift;

	*neg = bits >> 63;
	if (e == 0x7ff)
		return m ? -EINVAL : 2;
	if (e == 0) {
		*mag = 0;
		return m ? -EINVAL : 1;
	}
	shift = 1075 - (int)e;
	if (shift < 0 || shift > 52)
		return -EINVAL; /* at least 2^53, or below 1 */
	m |= RD_SCORE_HIDDEN;
	if (m & ((1ULL << shift) - 1))
		return -EINVAL;
	*mag = m >> shift;
	return 1;
}

/*
 * Appends the reply form of a score: RD_MODE_FAST, a RESP2 bulk string exactly as Redis prints
 * it, or -EINVAL when that needs "%.17g" (the slow path prints it); RD_MODE_SYSCALL, the ','
 * line. -ENOSPC when it does not fit.
 */
static __always_inline int rd_score_put_do(struct ffkx_text *out, __u32 *pos, __u64 bits, bool syscall)
{
	__u32 p = *pos, n, i;
	__u64 mag = 0;
	bool neg;
	int kind;

	if (syscall) {
		if (p + RD_SCORE_LINE_LEN > FFKX_TEXT_BUF)
			return -ENOSPC;
		out->b[p & FFKX_TEXT_MASK] = ',';
		for (i = 0; i < 16; i++) {
			__u8 d = (bits >> (60 - 4 * i)) & 0xf;

			out->b[(p + 1 + i) & FFKX_TEXT_MASK] = d < 10 ? '0' + d : 'a' + d - 10;
		}
		out->b[(p + 17) & FFKX_TEXT_MASK] = '\r';
		out->b[(p + 18) & FFKX_TEXT_MASK] = '\n';
		*pos = ffkx_text_pos(p + RD_SCORE_LINE_LEN);
		return 0;
	}
	kind = rd_score_integral(bits, &mag, &neg);
	if (kind < 0)
		return kind;
	if (kind == 2)
		return neg ? FFKX_TEXT_PUT_LIT(out, pos, "$4\r\n-inf\r\n") : FFKX_TEXT_PUT_LIT(out, pos, "$3\r\ninf\r\n");
	n = rd_digits(mag) + neg;
	if (FFKX_TEXT_PUT_LIT(out, &p, "$") || ffkx_text_put_u64(out, &p, n) || FFKX_TEXT_PUT_LIT(out, &p, "\r\n") ||
	    (neg && FFKX_TEXT_PUT_LIT(out, &p, "-")) || ffkx_text_put_u64(out, &p, mag) ||
	    FFKX_TEXT_PUT_LIT(out, &p, "\r\n"))
		return -ENOSPC;
	*pos = p;
	return 0;
}

/* rd_score_put_do as a global function (see rd_score_parse_tok): the new end, or -errno. */
__noinline int rd_score_put_at(struct ffkx_text *out, __u32 pos, __u64 bits, __u32 syscall)
{
	__u32 p = ffkx_text_pos(pos);
	int err;

	if (!out)
		return -EINVAL;
	err = rd_score_put_do(out, &p, bits, syscall);
	return err ? err : (int)p;
}

static __always_inline int rd_score_put(struct ffkx_text *out, __u32 *pos, __u64 bits, bool syscall)
{
	int r = rd_score_put_at(out, *pos, bits, syscall);

	if (r < 0)
		return r;
	*pos = r;
	return 0;
}

/*
 * a + b as IEEE-754 adds them (round to nearest, ties to even), for scores that are not NaN.
 * inf + -inf gives RD_SCORE_NAN. The magnitudes carry three extra low bits (guard, round,
 * sticky), which is all exact rounding needs.
 */
static __always_inline __u64 rd_score_add(__u64 a, __u64 b)
{
	__u64 sa = a & FFKX_SCORE_SIGN, sb = b & FFKX_SCORE_SIGN, ma, mb, m, t;
	int ea = (a >> 52) & 0x7ff, eb = (b >> 52) & 0x7ff, d, sh;

	if (ea == 0x7ff || eb == 0x7ff) {
		if (ea == 0x7ff && eb == 0x7ff && sa != sb)
			return RD_SCORE_NAN;
		return ea == 0x7ff ? a : b;
	}
	if (!(a << 1))
		return (b << 1) ? b : (sa & sb); /* -0 + -0 is -0; any other sum of zeros +0 */
	if (!(b << 1))
		return a;
	if ((a << 1) < (b << 1)) { /* make |a| >= |b| */
		t = a;
		a = b;
		b = t;
		t = sa;
		sa = sb;
		sb = t;
		d = ea;
		ea = eb;
		eb = d;
	}
	ma = a & RD_SCORE_MANT;
	mb = b & RD_SCORE_MANT;
	if (ea)
		ma |= RD_SCORE_HIDDEN;
	else
		ea = 1;
	if (eb)
		mb |= RD_SCORE_HIDDEN;
	else
		eb = 1;
	ma <<= 3;
	mb <<= 3;
	d = ea - eb;
	if (d > 60)
		mb = 1;
	else if (d > 0)
		mb = (mb >> d) | ((mb & ((1ULL << d) - 1)) != 0);
	if (sa == sb) {
		m = ma + mb;
		if (m >> 56) {
			m = (m >> 1) | (m & 1);
			ea++;
		}
	} else {
		m = ma - mb;
		if (!m)
			return 0; /* x + -x is +0 when rounding to nearest */
		sh = (int)rd_clz64(m) - 8;
		if (sh > ea - 1)
			sh = ea - 1;
		if (sh > 0) {
			m <<= sh;
			ea -= sh;
		}
	}
	t = m & 7;
	m >>= 3;
	if (t > 4 || (t == 4 && (m & 1)))
		m++;
	if (m >> 53) {
		m >>= 1;
		ea++;
	}
	if (ea >= 0x7ff)
		return sa | RD_SCORE_INF;
	if (!(m >> 52))
		ea = 0; /* subnormal: only reached with ea == 1 */
	return sa | ((__u64)ea << 52) | (m & RD_SCORE_MANT);
}

#endif /* RD_SCORE_H */
