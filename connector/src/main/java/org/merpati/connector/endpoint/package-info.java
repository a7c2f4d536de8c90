/**
 * How protocol sessions reach the message endpoint (the MDB) without blocking a network thread: an
 * {@link org.merpati.connector.endpoint.EndpointDispatcher} runs each listener call elsewhere and hands back a
 * future. The resource adapter implements it over the WorkManager; tests implement it over a plain executor.
 */
package org.merpati.connector.endpoint;
