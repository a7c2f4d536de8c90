/**
 * The contract between the connector (protocol listeners) and the EJBs that serve them: message listener
 * interfaces that MDBs implement, and immutable value types. Nothing here depends on Netty or JPA.
 */
package org.merpati.connector.api;
