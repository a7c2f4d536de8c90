package org.merpati.ejb.storage;

import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.format.FormatMapper;

/**
 * Outside WildFly the test class path has the JSON-B API (from jakartaee-api) but no provider, and Hibernate
 * would try to instantiate one. We map no JSON columns, so the tests configure this mapper instead.
 */
public final class NoJsonFormatMapper implements FormatMapper {

    @Override
    public <T> T fromString(CharSequence value, JavaType<T> type, WrapperOptions options) {
        throw new UnsupportedOperationException("no JSON-mapped attributes in Merpati");
    }

    @Override
    public <T> String toString(T value, JavaType<T> type, WrapperOptions options) {
        throw new UnsupportedOperationException("no JSON-mapped attributes in Merpati");
    }
}
