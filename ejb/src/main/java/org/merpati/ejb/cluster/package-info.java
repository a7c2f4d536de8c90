/**
 * Mailbox change events between server nodes: each node announces its committed mailbox changes on the JMS
 * topic {@code MerpatiChanges}, and every node feeds the events of the others into its own
 * {@link org.merpati.connector.api.access.MailboxChangeBus}, so an IDLE client on one node hears about mail
 * delivered on another.
 */
package org.merpati.ejb.cluster;
