package dev.ffkx.runtime;

/** Where an sk_skb program sits on a sockmap or sockhash. */
public enum SkSkbAttach {
    /** Frames the stream: returns the length of the next whole message, or 0 for more bytes. */
    STREAM_PARSER(AttachType.SK_SKB_STREAM_PARSER),
    /** Decides each framed message (with a parser) or each skb (without one). */
    STREAM_VERDICT(AttachType.SK_SKB_STREAM_VERDICT),
    /** Decides each skb, with no strparser behind it. */
    VERDICT(AttachType.SK_SKB_VERDICT);

    final AttachType type;

    SkSkbAttach(AttachType type) {
        this.type = type;
    }
}
