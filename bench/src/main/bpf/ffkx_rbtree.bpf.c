/* SPDX-License-Identifier: GPL-2.0 */
/* The heap red-black tree (rbtree.h) under one lock stripe, held by every operation. */
#include "ffkx_ordered.h"
#include <ffkx/rbtree.h>

FFKX_RBTREE_DEFINE(bench_tree, ffkx_bytes_cmp)
BENCH_ORDERED(rbtree, struct ffkx_rbtree, struct ffkx_rb_node, ffkx_rbtree_init, ffkx_rb_node_new,
	      ffkx_rb_value, bench_tree)

FFKX_LICENSE;
