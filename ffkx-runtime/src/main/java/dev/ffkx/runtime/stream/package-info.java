/**
 * The TCP fast path at sk_skb, user-space half: {@link dev.ffkx.runtime.stream.StreamOffloadServer}
 * owns the listening socket and answers, in request order, what the kernel half
 * ({@code bpf/include/ffkx/sk_stream.h}) passes up.
 *
 * <p>The server never polls an offloaded socket for input. The kernel calls a socket's original
 * data_ready after every verdict, whatever it decided, so a reader polling for input would be woken
 * for every skb the kernel answered by itself. The kernel announces passed bytes on a ring buffer
 * instead; the server polls a socket for input only in the rare window between such an
 * announcement and the bytes reaching the socket, and for hang-ups (EPOLLRDHUP), which no
 * verdict triggers.
 */
package dev.ffkx.runtime.stream;
