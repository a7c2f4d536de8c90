/**
 * Real peers for the end-to-end tests, started on loopback in private directories and stopped afterwards:
 * an unbound DNS server serving the test zones, and a Postfix instance for the second domain. Both come from
 * Debian packages that {@code .ci/run} installs.
 */
package org.merpati.it.peers;
