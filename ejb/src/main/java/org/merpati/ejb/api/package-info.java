/**
 * The EJB module's face to the web tier and tools: local business interfaces and DTO records.
 * JPA entities never cross this line.
 */
package org.merpati.ejb.api;
