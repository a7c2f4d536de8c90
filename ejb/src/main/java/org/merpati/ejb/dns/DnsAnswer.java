package org.merpati.ejb.dns;

import java.util.List;

/**
 * The answer to one DNS question that did not fail temporarily.
 *
 * @param status  whether records were found, the name does not exist, or it has no records of that type
 * @param records the records (empty unless {@code status} is {@link Status#FOUND}), in the order the server gave
 */
public record DnsAnswer<T>(Status status, List<T> records) {

    public enum Status { FOUND, NXDOMAIN, NODATA }

    public DnsAnswer {
        records = List.copyOf(records);
    }

    static <T> DnsAnswer<T> found(List<T> records) {
        return records.isEmpty() ? new DnsAnswer<>(Status.NODATA, List.of()) : new DnsAnswer<>(Status.FOUND, records);
    }

    static <T> DnsAnswer<T> of(Status status) {
        return new DnsAnswer<>(status, List.of());
    }

    /** NXDOMAIN or NODATA: what RFC 7208 section 4.6.4 calls a void lookup. */
    public boolean isVoid() {
        return status != Status.FOUND;
    }
}
