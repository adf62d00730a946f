/* SPDX-License-Identifier: GPL-2.0 */
/* Packet header constants that vmlinux.h, being types only, does not carry. */
#ifndef FFKX_PACKET_H
#define FFKX_PACKET_H

#include "common.h"

#define ETH_P_IP   0x0800
#define ETH_P_IPV6 0x86DD

#endif /* FFKX_PACKET_H */
