/**
 * The mail domain's value types and its closed set of failures ({@link org.merpati.ejb.domain.MailError}),
 * free of JPA and of any protocol: addresses ({@link org.merpati.ejb.domain.MailAddress}) and exceptions.
 */
package org.merpati.ejb.domain;
