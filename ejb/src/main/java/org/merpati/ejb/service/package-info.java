/**
 * Services: thin stateless EJB shells ({@code DeliveryService}, {@code DirectoryService},
 * {@code HealthService}, {@code MailAccessService}) over plain classes that hold the logic and take an
 * EntityManager, a BlobStore and the configuration in their constructors ({@code RecipientResolver},
 * {@code MailboxAppender}, {@code DirectoryManager}, {@code MailboxManager}, {@code MessageSearch}, ...), so
 * the logic runs in tests without a container. {@code ChangeNotifier} announces committed mailbox changes on
 * the connector's {@code MailboxChangeBus}.
 */
package org.merpati.ejb.service;
