package org.merpati.ejb.mime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entity of the MIME tree, with what IMAP BODYSTRUCTURE reports and where its bytes are in the blob.
 * Offsets are absolute in the stored message; {@code size} is the body length in bytes (the CRLF before a
 * boundary belongs to the boundary), {@code lines} the number of body lines.
 */
public final class MimePart {

    String type = "text";
    String subtype = "plain";
    final Map<String, String> params = new LinkedHashMap<>();
    String id;
    String description;
    String encoding = "7bit";
    String md5;
    String disposition;
    final Map<String, String> dispositionParams = new LinkedHashMap<>();
    String language;
    String location;
    long headerOffset;
    long bodyOffset;
    long size;
    long lines;
    final List<MimePart> parts = new ArrayList<>();
    /** For message/rfc822: the encapsulated message's header fields and root part. */
    HeaderBlock messageHeaders;
    MimePart message;

    public String type() {
        return type;
    }

    public String subtype() {
        return subtype;
    }

    public Map<String, String> params() {
        return Collections.unmodifiableMap(params);
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public String encoding() {
        return encoding;
    }

    public String disposition() {
        return disposition;
    }

    public Map<String, String> dispositionParams() {
        return Collections.unmodifiableMap(dispositionParams);
    }

    public long headerOffset() {
        return headerOffset;
    }

    public long bodyOffset() {
        return bodyOffset;
    }

    public long size() {
        return size;
    }

    public long lines() {
        return lines;
    }

    public List<MimePart> parts() {
        return Collections.unmodifiableList(parts);
    }

    public MimePart message() {
        return message;
    }

    public boolean isMultipart() {
        return "multipart".equals(type);
    }

    public boolean isMessage() {
        return "message".equals(type) && ("rfc822".equals(subtype) || "global".equals(subtype));
    }
}
