/**
 * ARC (RFC 8617): chain parsing and validation ({@link org.merpati.ejb.mailauth.arc.ArcVerifier}) and sealing a
 * new set when this server forwards ({@link org.merpati.ejb.mailauth.arc.ArcSealer}), on top of the DKIM engine
 * in {@code org.merpati.ejb.mailauth.dkim}.
 */
package org.merpati.ejb.mailauth.arc;
