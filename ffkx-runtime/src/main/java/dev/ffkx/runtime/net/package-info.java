/**
 * Network sandboxes for tests and tools: namespaces, veth pairs and addresses, made with
 * iproute2 and always torn down on close. Names carry the creating process's pid, so a sandbox
 * left by a killed process is recognised and swept by the next one.
 */
package dev.ffkx.runtime.net;
