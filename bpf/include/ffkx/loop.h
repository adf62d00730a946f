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
 * The verifier tracks a counter that starts at a constant exactly, so it walks
 * such a loop one iteration at a time and, with may_goto in it, never finds a
 * state it has seen: the program is "too large". Adding a zero read from
 * memory it cannot know turns the counter into a range, and a loop over a
 * range converges in a pass or two: `for (i = ffkx_loop_from(0); i < n; i++)`.
 */
static volatile __u32 ffkx_loop_zero __attribute__((unused));
#define ffkx_loop_from(x) ((x) + ffkx_loop_zero)

#endif /* FFKX_LOOP_H */
