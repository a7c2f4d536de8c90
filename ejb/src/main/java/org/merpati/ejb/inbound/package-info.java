/**
 * Thin message-driven beans behind the connector's listeners: they translate listener calls into
 * {@link org.merpati.ejb.service.DeliveryService} calls and nothing else. Bound to the resource adapter
 * {@code merpati.ear#merpati-connector.rar}; activation properties are {@code ${env.MERPATI_*:default}}
 * expressions that WildFly resolves (annotation property replacement is enabled by the ear).
 */
package org.merpati.ejb.inbound;
