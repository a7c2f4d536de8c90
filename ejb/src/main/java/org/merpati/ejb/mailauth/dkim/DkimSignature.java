package org.merpati.ejb.mailauth.dkim;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A parsed DKIM-Signature (RFC 6376 section 3.5) or ARC-Message-Signature (RFC 8617 section 4.1.2, where
 * {@code i=} is the ARC instance and there is no {@code v=}).
 *
 * @param field          the header field it was parsed from
 * @param tags           its tag list
 * @param algorithm      {@code a=}
 * @param headerCanon    the header half of {@code c=}
 * @param bodyCanon      the body half of {@code c=}
 * @param domain         {@code d=}, lower case
 * @param selector       {@code s=}
 * @param identity       {@code i=} (default "@" + d), or null for an ARC-Message-Signature
 * @param instance       the ARC instance, or 0 for DKIM
 * @param signedHeaders  {@code h=}, in order
 * @param bodyHash       {@code bh=} decoded
 * @param signature      {@code b=} decoded
 * @param bodyLength     {@code l=}, or -1
 * @param timestamp      {@code t=} (seconds), or -1
 * @param expiration     {@code x=} (seconds), or -1
 */
public record DkimSignature(HeaderField field, TagList tags, DkimAlgorithm algorithm, Canonicalization headerCanon,
                           Canonicalization bodyCanon, String domain, String selector, String identity, int instance,
                           List<String> signedHeaders, byte[] bodyHash, byte[] signature, long bodyLength,
                           long timestamp, long expiration) {

    public static final String DKIM_HEADER = "DKIM-Signature";
    public static final String ARC_MESSAGE_HEADER = "ARC-Message-Signature";

    /** Whether {@code field} is an ARC-Message-Signature (parsed with ARC's rules). */
    private static boolean isArc(HeaderField field) {
        return field.hasName(ARC_MESSAGE_HEADER);
    }

    /** The tag list of a signature field, or a permerror naming what is wrong. */
    static TagList tagsOf(HeaderField field) throws DkimFailure {
        try {
            return TagList.parse(field.value());
        } catch (IllegalArgumentException e) {
            throw DkimFailure.permerror("signature syntax: " + e.getMessage());
        }
    }

    /**
     * Parses and checks a signature field (RFC 6376 section 6.1.1).
     *
     * @throws DkimFailure permerror for anything that makes the signature unusable
     */
    public static DkimSignature parse(HeaderField field) throws DkimFailure {
        TagList tags = tagsOf(field);
        boolean arc = isArc(field);
        if (!arc && !"1".equals(tags.get("v"))) {
            throw DkimFailure.permerror("incompatible version");
        }
        for (String required : new String[] {"a", "b", "bh", "d", "h", "s"}) {
            if (!tags.has(required)) {
                throw DkimFailure.permerror("signature missing required tag " + required + "=");
            }
        }
        DkimAlgorithm algorithm = DkimAlgorithm.fromTag(tags.get("a"));
        if (algorithm == null) {
            throw DkimFailure.permerror("unsupported algorithm " + tags.get("a"));
        }
        Canonicalization headerCanon = Canonicalization.SIMPLE;
        Canonicalization bodyCanon = Canonicalization.SIMPLE;
        if (tags.has("c")) {
            String c = tags.get("c").toLowerCase(Locale.ROOT);
            int slash = c.indexOf('/');
            headerCanon = Canonicalization.named(slash < 0 ? c : c.substring(0, slash));
            bodyCanon = slash < 0 ? Canonicalization.SIMPLE : Canonicalization.named(c.substring(slash + 1));
            if (headerCanon == null || bodyCanon == null) {
                throw DkimFailure.permerror("unknown canonicalization " + c);
            }
        }
        String domain = tags.get("d").toLowerCase(Locale.ROOT);
        String selector = tags.get("s");
        if (domain.isEmpty() || selector.isEmpty()) {
            throw DkimFailure.permerror("empty d= or s=");
        }
        List<String> signedHeaders = new ArrayList<>();
        for (String name : tags.get("h").split(":")) {
            String trimmed = TagList.stripFws(name);
            if (!trimmed.isEmpty()) {
                signedHeaders.add(trimmed);
            }
        }
        if (signedHeaders.stream().noneMatch(h -> h.equalsIgnoreCase("from"))) {
            throw DkimFailure.permerror("From is not signed");
        }
        String identity = null;
        int instance = 0;
        if (arc) {
            instance = instanceOf(tags);
        } else {
            identity = tags.has("i") ? tags.get("i") : "@" + domain;
            int at = identity.lastIndexOf('@');
            String identityDomain = at < 0 ? "" : identity.substring(at + 1).toLowerCase(Locale.ROOT);
            if (at < 0 || !(identityDomain.equals(domain) || identityDomain.endsWith("." + domain))) {
                throw DkimFailure.permerror("i= is not in d=");
            }
            if (tags.has("q") && !List.of(tags.get("q").replace(" ", "").split(":")).contains("dns/txt")) {
                throw DkimFailure.permerror("unsupported query method " + tags.get("q"));
            }
        }
        byte[] bodyHash = base64(tags.get("bh"), "bh");
        byte[] signature = base64(tags.get("b"), "b");
        long bodyLength = number(tags, "l");
        long timestamp = number(tags, "t");
        long expiration = number(tags, "x");
        if (expiration >= 0 && timestamp >= 0 && expiration < timestamp) {
            throw DkimFailure.permerror("x= is before t=");
        }
        return new DkimSignature(field, tags, algorithm, headerCanon, bodyCanon, domain, selector, identity, instance,
                List.copyOf(signedHeaders), bodyHash, signature, bodyLength, timestamp, expiration);
    }

    /** The ARC instance ({@code i=}, 1 to 50). */
    public static int instanceOf(TagList tags) throws DkimFailure {
        String i = tags.get("i");
        if (i == null || !i.matches("[0-9]{1,2}")) {
            throw DkimFailure.permerror("bad ARC instance " + i);
        }
        int instance = Integer.parseInt(i);
        if (instance < 1 || instance > 50) {
            throw DkimFailure.permerror("ARC instance out of range: " + instance);
        }
        return instance;
    }

    /** The name of the key record: {@code selector._domainkey.domain}. */
    public String keyName() {
        return selector + "._domainkey." + domain;
    }

    /** The first characters of {@code b=} as written, for {@code header.b} (RFC 6008). */
    public String signaturePrefix() {
        String b = TagList.compactBase64(tags.get("b"));
        return b.substring(0, Math.min(8, b.length()));
    }

    private static byte[] base64(String value, String tag) throws DkimFailure {
        try {
            return Base64.getDecoder().decode(TagList.compactBase64(value));
        } catch (IllegalArgumentException e) {
            throw DkimFailure.permerror(tag + "= is not base64");
        }
    }

    private static long number(TagList tags, String tag) throws DkimFailure {
        String value = tags.get(tag);
        if (value == null) {
            return -1;
        }
        // at most 76 digits by the grammar; more than 18 would overflow and means "never" for x=
        if (!value.matches("[0-9]{1,76}")) {
            throw DkimFailure.permerror(tag + "= is not a number");
        }
        return value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
    }
}
