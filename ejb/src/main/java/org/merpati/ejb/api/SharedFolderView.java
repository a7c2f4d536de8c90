package org.merpati.ejb.api;

import java.util.Map;

/**
 * A public folder of a domain: {@code name} as stored, {@code imapName} as users see it ({@code Shared/<name>}),
 * and its access control entries (identifier to rights letters; {@code anyone} is every account of the domain,
 * a leading {@code -} marks negative rights).
 */
public record SharedFolderView(String domain, String name, String imapName, long messages, long sizeBytes,
                               Map<String, String> acl) {
}
