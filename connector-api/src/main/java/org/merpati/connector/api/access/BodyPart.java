package org.merpati.connector.api.access;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entity of a message's MIME tree with what BODYSTRUCTURE reports and where its bytes lie in the stored
 * message, so that BODY[section] can be served by seeking in the blob instead of parsing it again.
 *
 * <p>Parameter maps keep header order; names are lower case, values decoded (RFC 2231 continuations joined).
 *
 * @param type              media type, lower case ({@code text}, {@code multipart}, {@code message} ...)
 * @param subtype           media subtype, lower case
 * @param params            Content-Type parameters
 * @param id                Content-ID or null
 * @param description       Content-Description or null
 * @param encoding          Content-Transfer-Encoding, lower case ({@code 7bit} by default)
 * @param size              body size in bytes (for multiparts: the whole body)
 * @param lines             body lines (text/* and message/rfc822)
 * @param md5               Content-MD5 or null
 * @param disposition       Content-Disposition value (lower case) or null
 * @param dispositionParams its parameters
 * @param language          Content-Language or null
 * @param location          Content-Location or null
 * @param headerOffset      offset of this entity's header in the blob
 * @param bodyOffset        offset of its body (just after the blank line) in the blob
 * @param parts             children of a multipart, empty otherwise
 * @param messageEnvelope   for message/rfc822 (and message/global): the encapsulated message's envelope
 * @param message           for message/rfc822: the encapsulated message's root entity
 */
public record BodyPart(String type, String subtype, Map<String, String> params, String id, String description,
                       String encoding, long size, long lines, String md5, String disposition,
                       Map<String, String> dispositionParams, String language, String location,
                       long headerOffset, long bodyOffset, List<BodyPart> parts, MessageEnvelope messageEnvelope,
                       BodyPart message) implements java.io.Serializable {

    public BodyPart {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        dispositionParams = Collections.unmodifiableMap(new LinkedHashMap<>(dispositionParams));
        parts = List.copyOf(parts);
    }

    public boolean isMultipart() {
        return "multipart".equals(type);
    }

    public boolean isMessage() {
        return message != null;
    }

    /** Offset just past this entity's body. */
    public long endOffset() {
        return bodyOffset + size;
    }
}
