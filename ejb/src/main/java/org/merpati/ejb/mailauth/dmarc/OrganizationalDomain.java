package org.merpati.ejb.mailauth.dmarc;

import java.util.Locale;

import com.google.common.net.InternetDomainName;

/**
 * The organizational domain of RFC 7489 section 3.2: the public suffix plus one label, by the Public Suffix
 * List that Guava ships in {@link InternetDomainName} (both the ICANN and the private sections, as
 * OpenDMARC uses them). A name under no listed suffix gets the list's default rule ("*": the last label is
 * the suffix). A name that is itself a public suffix, or that Guava cannot parse, is its own organizational
 * domain.
 */
public final class OrganizationalDomain {

    private OrganizationalDomain() {
    }

    public static String of(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        try {
            InternetDomainName parsed = InternetDomainName.from(name);
            if (parsed.isUnderPublicSuffix()) {
                return parsed.topPrivateDomain().toString();
            }
            if (parsed.hasPublicSuffix()) {
                return name; // a public suffix itself
            }
            // no listed suffix: the PSL's default rule "*" makes the last label the suffix
            int last = name.lastIndexOf('.');
            int previous = last <= 0 ? -1 : name.lastIndexOf('.', last - 1);
            return previous < 0 ? name : name.substring(previous + 1);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return name;
        }
    }

    /** Relaxed alignment: the same organizational domain. */
    public static boolean relaxedAligned(String a, String b) {
        return a != null && b != null && of(a).equals(of(b));
    }
}
