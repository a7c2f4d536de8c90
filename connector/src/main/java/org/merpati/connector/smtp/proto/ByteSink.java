package org.merpati.connector.smtp.proto;

/** Where decoded message bytes go (a spool file in production, a byte array in tests). */
@FunctionalInterface
public interface ByteSink {

    void write(byte[] bytes, int offset, int length);
}
