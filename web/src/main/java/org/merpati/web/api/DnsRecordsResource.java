package org.merpati.web.api;

import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.merpati.ejb.api.DkimKeyAdmin;
import org.merpati.ejb.api.DnsRecordView;

/**
 * The DNS records a mail domain should publish: MX, SPF, DMARC and one DKIM TXT record per active key.
 * <pre>
 *   GET /api/admin/domains/{domain}/dns   Accept: application/json → [{"name":..,"type":..,"value":..,"strings":[..]}]
 *   GET /api/admin/domains/{domain}/dns   Accept: text/plain       → zone-file lines, long TXT split in 255-char strings
 * </pre>
 */
@Path("/admin/domains/{domain}/dns")
@AdminOnly
public class DnsRecordsResource {

    @EJB
    DkimKeyAdmin keys;

    /**
     * One record.
     *
     * @param strings the TXT character-strings to enter (each at most 255 characters), for DNS consoles that ask
     *                for them one by one
     */
    public record DnsRecord(String name, String type, String value, String purpose, List<String> strings) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<DnsRecord> json(@PathParam("domain") String domain) {
        return keys.dnsRecords(domain).stream()
                .map(r -> new DnsRecord(r.name(), r.type(), r.value(), r.purpose(), r.strings())).toList();
    }

    /** qs below JSON's default of 1: a client that accepts anything gets JSON. */
    @GET
    @Produces("text/plain;qs=0.5")
    public String zoneFile(@PathParam("domain") String domain) {
        List<DnsRecordView> records = keys.dnsRecords(domain);
        StringBuilder zone = new StringBuilder("; DNS records for ").append(domain.strip().toLowerCase(java.util.Locale.ROOT))
                .append(" (Merpati): MX, SPF, DMARC, DKIM\n");
        for (DnsRecordView record : records) {
            zone.append(record.zoneLine()).append('\n');
        }
        return zone.toString();
    }
}
