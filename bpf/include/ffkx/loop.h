/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loops that end through cancellation instead of a static bound.
 *
 * The verifier accepts any loop that passes a may_goto instruction: the kernel
 * gives each program run a budget (time-based since 6.15) and, once it is spent,
 * may_goto jumps. cond_break leaves the enclosing loop at that point; can_loop is
 * the same test as an expression for a loop condition. Code that can be cancelled
 * must report it (-ECANCELED) rather than return a partial answer as if whole.
 */
#ifndef FFKX_LOOP_H
#define FFKX_LOOP_H

#include "common.h"

/* Break out of the innermost loop once the run's loop budget is spent. */
#define cond_break					\
	({ __label__ l_break, l_continue;		\
	 asm volatile goto("may_goto %l[l_break]"	\
		      :::: l_break);			\
	 goto l_continue;				\
	 l_break: break;				\
	 l_continue:;					\
	})

/* True while the run may keep looping: `while (can_loop) { ... }`. */
#define can_loop					\
	({ __label__ l_break, l_continue;		\
	 bool ret = true;				\
	 asm volatile goto("may_goto %l[l_break]"	\
		      :::: l_break);			\
	 goto l_continue;				\
	 l_break: ret = false;				\
	 l_continue:;					\
	 ret;						\
	})

/*
 * The verifier walks a loop once per value of an induction variable it knows exactly, and a
 * search that returns its index forks one path per possible answer. ffkx_forget() hands back the
 * same value as one the verifier sees only as a range (it is xored twice with a value the
 * verifier cannot know, such as a byte of a map value), so loop states converge after a few
 * iterations. Bound the result again before indexing with it.
 */
#define ffkx_forget(x, unknown)							\
	({ __u64 __v = (x), __u = (unknown);					\
	 asm volatile("%[v] ^= %[u]; %[v] ^= %[u]" : [v] "+r"(__v) : [u] "r"(__u));	\
	 __v; })

#endif /* FFKX_LOOP_H */
