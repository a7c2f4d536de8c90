/**
 * Outbound mail: the durable queue (queue tables + Artemis JMS trigger messages), the delivery MDB, the SMTP
 * client (MX resolution, STARTTLS, PIPELINING, per-recipient results), retry scheduling and delivery status
 * notifications (RFC 3464).
 */
package org.merpati.ejb.outbound;
