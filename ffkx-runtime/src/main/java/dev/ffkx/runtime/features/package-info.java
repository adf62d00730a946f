/**
 * What the running kernel can do. {@link dev.ffkx.runtime.features.FeatureProbe} finds each
 * feature of the kernel contract (the {@code ffkx-kernel} module's features.tsv) present or
 * missing by loading, and where it matters attaching, a tiny probe program: never by reading a
 * version number. Offloads call {@link dev.ffkx.runtime.features.FeatureProbe#require} first, so a
 * kernel without a feature fails with the probe's message instead of a verifier dump.
 */
package dev.ffkx.runtime.features;
