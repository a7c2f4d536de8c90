/**
 * End-to-end tests against the provisioned WildFly (ear/target/wildfly-*) started as a real process, with real
 * clients: swaks, curl, Python's smtplib, the admin tool.
 */
package org.merpati.it;
