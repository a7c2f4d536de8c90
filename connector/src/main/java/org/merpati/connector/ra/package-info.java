/**
 * The JCA 2.1 inbound resource adapter, annotation-only (no ra.xml): {@link
 * org.merpati.connector.ra.MerpatiResourceAdapter} starts one Netty listener per MDB activation, configured by
 * the activation spec of its protocol ({@link org.merpati.connector.ra.SmtpActivationSpec}, {@link
 * org.merpati.connector.ra.LmtpActivationSpec}), and runs every listener call as WorkManager work on a
 * message endpoint.
 */
package org.merpati.connector.ra;
