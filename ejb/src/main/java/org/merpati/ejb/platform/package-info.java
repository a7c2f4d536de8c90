/**
 * Platform concerns: the one place configuration is read ({@link org.merpati.ejb.platform.MerpatiConfig}),
 * schema migration and validation at startup, the bootstrap of the primary domain and administrator, and
 * the readiness flag that keeps protocol calls from touching the database before the schema exists.
 */
package org.merpati.ejb.platform;
