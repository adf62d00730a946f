package dev.ffkx.runtime;

/**
 * A running offload (memcached, Redis): what the command line needs to show it and stop it.
 * Closing it detaches every program it attached and releases its ports.
 */
public interface Offload extends AutoCloseable {
    /** One line saying it is serving, and where. */
    String readyLine();

    /** One line of current statistics; each call covers the time since the previous one. */
    String statsLine();

    @Override
    void close();
}
