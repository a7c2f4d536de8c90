/**
 * Delivery status notifications (RFC 3464 multipart/report, RFC 3461 parameters): what a DSN says and how it is
 * written. Pure Java on streams: the original message is copied from its file, never loaded whole, and every
 * value that came from outside (addresses, ENVID, ORCPT, remote replies) is cleaned before it reaches a header.
 */
package org.merpati.ejb.outbound.dsn;
