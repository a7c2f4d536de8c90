package org.merpati.ejb.search;

import java.io.IOException;
import java.nio.file.Path;
import org.merpati.connector.api.access.BodyPart;
import org.merpati.ejb.mime.CachedStructure;
import org.merpati.ejb.mime.MessageTextScanner;

/**
 * The header and body {@link SearchTerms} of one stored message, read from its blob. Delivery extracts them
 * before its transaction and hands them to the row ({@code MessageEntity#useIndexText}), so that building the
 * index document, which Hibernate Search does just before commit, does not read the blob while the account
 * and mailbox rows are locked. Without them the bridge extracts the same terms itself.
 *
 * @param failure why the blob could not be read, or null; the message is then indexed as partial
 */
public record MessageText(SearchTerms.Collector header, SearchTerms.Collector body, Exception failure) {

    /** Walks the blob's header and (with the cached BODYSTRUCTURE) its body text. */
    public static MessageText extract(Path blob, String bodyStructureJson) {
        SearchTerms.Collector header = new SearchTerms.Collector(SearchTerms.MAX_TEXT_CHARS);
        try {
            MessageTextScanner scanner = new MessageTextScanner(blob);
            scanner.walkHeader(header);
            header.finish();
            SearchTerms.Collector body = new SearchTerms.Collector(header.charsLeft());
            BodyPart structure = CachedStructure.bodyStructure(bodyStructureJson);
            scanner.walkBody(structure, body);
            body.finish();
            return new MessageText(header, body, null);
        } catch (IOException | RuntimeException e) {
            return new MessageText(header, null, e);
        }
    }

    /** Whether a limit was reached or the blob was unreadable: the scanner then decides every text search. */
    public boolean partial() {
        return failure != null || header.partial() || body.partial();
    }
}
