/**
 * The JAX-RS surface: the administration API under {@code /api/admin} (HTTP Basic against the built-in
 * directory, administrators only), health under {@code /api/health}, RFC 9457 problem responses.
 */
package org.merpati.web.api;
