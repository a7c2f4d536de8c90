package org.merpati.ejb.mime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.merpati.connector.api.access.Address;
import org.merpati.connector.api.access.BodyPart;
import org.merpati.connector.api.access.MessageEnvelope;

/**
 * Turns the JSON cached in the messages table at delivery ({@code envelope}, {@code body_structure}, written
 * by {@link MessageStructureParser}) into the records FETCH ENVELOPE and BODYSTRUCTURE need. Offsets are
 * absolute in the stored blob, exactly as the parser counted them while reading that blob.
 */
public final class CachedStructure {

    private CachedStructure() {
    }

    /** The ENVELOPE from the cached JSON; sender and reply-to default to from (RFC 9051 section 7.5.2). */
    public static MessageEnvelope envelope(String json) {
        if (json == null || json.isEmpty()) {
            return emptyEnvelope();
        }
        return envelope(asMap(JsonReader.parse(json)));
    }

    /** The MIME tree from the cached JSON, or null when there is none. */
    public static BodyPart bodyStructure(String json) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        return part(asMap(JsonReader.parse(json)));
    }

    /** The raw header value of an envelope field ({@code from}, {@code subject} ...), or null. */
    public static String envelopeField(String json, String field) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        return (String) asMap(JsonReader.parse(json)).get(field);
    }

    private static MessageEnvelope emptyEnvelope() {
        return new MessageEnvelope(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                null, null);
    }

    private static MessageEnvelope envelope(Map<String, Object> e) {
        List<Address> from = AddressListParser.parse(str(e, "from"));
        List<Address> sender = AddressListParser.parse(str(e, "sender"));
        List<Address> replyTo = AddressListParser.parse(str(e, "reply-to"));
        return new MessageEnvelope(str(e, "date"), str(e, "subject"), from, sender.isEmpty() ? from : sender,
                replyTo.isEmpty() ? from : replyTo, AddressListParser.parse(str(e, "to")),
                AddressListParser.parse(str(e, "cc")), AddressListParser.parse(str(e, "bcc")),
                str(e, "in-reply-to"), str(e, "message-id"));
    }

    private static BodyPart part(Map<String, Object> p) {
        List<BodyPart> children = new ArrayList<>();
        Object parts = p.get("parts");
        if (parts instanceof List<?> list) {
            for (Object child : list) {
                children.add(part(asMap(child)));
            }
        }
        MessageEnvelope messageEnvelope = null;
        BodyPart message = null;
        Object nested = p.get("message");
        if (nested instanceof Map<?, ?>) {
            Map<String, Object> m = asMap(nested);
            Object env = m.get("envelope");
            messageEnvelope = env == null ? emptyEnvelope() : envelope(asMap(env));
            message = part(asMap(m.get("body")));
        }
        return new BodyPart(str(p, "type"), str(p, "subtype"), params(p.get("params")), str(p, "id"),
                str(p, "description"), str(p, "encoding"), num(p, "size"), num(p, "lines"), str(p, "md5"),
                str(p, "disposition"), params(p.get("dispositionParams")), str(p, "language"),
                str(p, "location"), num(p, "headerOffset"), num(p, "bodyOffset"), children, messageEnvelope,
                message);
    }

    private static Map<String, String> params(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v != null) {
                    out.put(k.toString(), v.toString());
                }
            });
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        if (value instanceof Map<?, ?>) {
            return (Map<String, Object>) value;
        }
        throw new IllegalArgumentException("cached structure JSON: expected an object");
    }

    private static String str(Map<String, Object> map, String key) {
        Object v = map.get(key);
        return v == null ? null : v.toString();
    }

    private static long num(Map<String, Object> map, String key) {
        Object v = map.get(key);
        return v instanceof Long l ? l : 0;
    }
}
