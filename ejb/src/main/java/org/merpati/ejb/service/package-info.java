/**
 * Services: thin stateless EJB shells ({@code DeliveryService}, {@code DirectoryService},
 * {@code HealthService}) over plain classes that hold the logic and take an EntityManager, a BlobStore and
 * the configuration in their constructors ({@code RecipientResolver}, {@code MailboxAppender},
 * {@code DirectoryManager}, ...), so the logic runs in tests without a container.
 */
package org.merpati.ejb.service;
