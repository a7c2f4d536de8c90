/**
 * Full-text index of the mailbox store (Hibernate Search, embedded Lucene): what is indexed per message
 * ({@link org.merpati.ejb.search.MessageIndexBinder}, {@link org.merpati.ejb.search.SearchTerms}), how
 * SEARCH keys are narrowed with it ({@link org.merpati.ejb.search.MessageIndex}), when it is trusted
 * ({@link org.merpati.ejb.search.IndexState}) and how it is rebuilt
 * ({@link org.merpati.ejb.search.IndexMaintenance}). The index only narrows; SQL and the scanner decide.
 */
package org.merpati.ejb.search;
