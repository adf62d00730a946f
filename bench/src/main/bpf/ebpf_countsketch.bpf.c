/* SPDX-License-Identifier: GPL-2.0 */
/* Baseline count sketch in a global array (ebpf_sketch.h). */
#include "ebpf_sketch.h"

BENCH_EBPF_SKETCH(countsketch, true)

FFKX_LICENSE;
