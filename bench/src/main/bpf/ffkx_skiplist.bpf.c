/* SPDX-License-Identifier: GPL-2.0 */
/* The heap skiplist (skiplist.h, with ranks) under one lock stripe. */
#include "ffkx_ordered.h"
#include <ffkx/skiplist.h>

FFKX_SKIPLIST_DEFINE(bench_list, ffkx_bytes_cmp)
BENCH_ORDERED(skiplist, struct ffkx_skiplist, struct ffkx_sl_node, ffkx_skiplist_init, ffkx_sl_node_new,
	      ffkx_sl_value, bench_list)

FFKX_LICENSE;
