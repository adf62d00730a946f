/* SPDX-License-Identifier: GPL-2.0 */
/* The heap count sketch (sketch.h), KFlex's 4 x 512. */
#include "ffkx_sketch.h"

BENCH_FFKX_SKETCH(countsketch, cs)

FFKX_LICENSE;
