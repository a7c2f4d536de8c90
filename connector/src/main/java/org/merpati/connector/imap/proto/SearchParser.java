package org.merpati.connector.imap.proto;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.merpati.connector.api.access.SearchKey;

/**
 * SEARCH criteria (RFC 9051 section 6.4.4, with RFC 7162 MODSEQ, RFC 5032 OLDER/YOUNGER, RFC 8514 SAVEDATE and
 * RFC 8474 EMAILID/THREADID) to the api's {@link SearchKey}. Sequence sets are resolved through the
 * {@link SequenceResolver} the session supplies, because only it knows the sequence number map.
 */
public final class SearchParser {

    /** Turns a sequence set (by number or UID) into a key on UIDs. */
    @FunctionalInterface
    public interface SequenceResolver {
        SearchKey resolve(SequenceSet set, boolean uid) throws ImapSyntaxException;
    }

    private static final DateTimeFormatter DATE = new java.time.format.DateTimeFormatterBuilder().parseCaseInsensitive()
        .appendPattern("d-MMM-yyyy").toFormatter(Locale.ENGLISH);

    private final ImapArgs args;
    private final SequenceResolver resolver;

    public SearchParser(ImapArgs args, SequenceResolver resolver) {
        this.args = args;
        this.resolver = resolver;
    }

    /** Keys up to the end of the command, ANDed. */
    public SearchKey keys() throws ImapSyntaxException {
        List<SearchKey> keys = new ArrayList<>();
        keys.add(key());
        while (args.optionalSp()) {
            keys.add(key());
        }
        args.end();
        return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
    }

    SearchKey key() throws ImapSyntaxException {
        if (args.tryOpen()) {
            List<SearchKey> keys = new ArrayList<>();
            keys.add(key());
            while (args.optionalSp()) {
                keys.add(key());
            }
            args.close();
            return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
        }
        int c = args.peek();
        if ((c >= '0' && c <= '9') || c == '*' || c == '$') {
            return resolver.resolve(SequenceSet.parse(args), false);
        }
        String word = args.atom().toUpperCase(Locale.ROOT);
        switch (word) {
            case "ALL":
                return new SearchKey.All();
            case "ANSWERED":
                return flag("\\Answered", true);
            case "DELETED":
                return flag("\\Deleted", true);
            case "DRAFT":
                return flag("\\Draft", true);
            case "FLAGGED":
                return flag("\\Flagged", true);
            case "SEEN":
                return flag("\\Seen", true);
            case "UNANSWERED":
                return flag("\\Answered", false);
            case "UNDELETED":
                return flag("\\Deleted", false);
            case "UNDRAFT":
                return flag("\\Draft", false);
            case "UNFLAGGED":
                return flag("\\Flagged", false);
            case "UNSEEN":
                return flag("\\Seen", false);
            case "KEYWORD":
                args.sp();
                return flag(args.atom(), true);
            case "UNKEYWORD":
                args.sp();
                return flag(args.atom(), false);
            case "RECENT":
            case "NEW":
                // \Recent is not kept (RFC 9051 dropped it): no message is recent
                return new SearchKey.Not(new SearchKey.All());
            case "OLD":
                return new SearchKey.All();
            case "BCC":
            case "CC":
            case "FROM":
            case "SUBJECT":
            case "TO":
                args.sp();
                return new SearchKey.Header(word.charAt(0) + word.substring(1).toLowerCase(Locale.ROOT), args.astring());
            case "HEADER": {
                args.sp();
                String field = args.astring();
                args.sp();
                return new SearchKey.Header(field, args.astring());
            }
            case "BODY":
                args.sp();
                return new SearchKey.Text(true, args.astring());
            case "TEXT":
                args.sp();
                return new SearchKey.Text(false, args.astring());
            case "BEFORE":
                return date(SearchKey.DateField.INTERNAL, SearchKey.DateComparison.BEFORE);
            case "ON":
                return date(SearchKey.DateField.INTERNAL, SearchKey.DateComparison.ON);
            case "SINCE":
                return date(SearchKey.DateField.INTERNAL, SearchKey.DateComparison.SINCE);
            case "SENTBEFORE":
                return date(SearchKey.DateField.SENT, SearchKey.DateComparison.BEFORE);
            case "SENTON":
                return date(SearchKey.DateField.SENT, SearchKey.DateComparison.ON);
            case "SENTSINCE":
                return date(SearchKey.DateField.SENT, SearchKey.DateComparison.SINCE);
            case "SAVEDBEFORE":
                return date(SearchKey.DateField.SAVED, SearchKey.DateComparison.BEFORE);
            case "SAVEDON":
                return date(SearchKey.DateField.SAVED, SearchKey.DateComparison.ON);
            case "SAVEDSINCE":
                return date(SearchKey.DateField.SAVED, SearchKey.DateComparison.SINCE);
            case "SAVEDATESUPPORTED":
                return new SearchKey.All();
            case "LARGER":
                args.sp();
                return new SearchKey.Size(true, args.number());
            case "SMALLER":
                args.sp();
                return new SearchKey.Size(false, args.number());
            case "OLDER":
                args.sp();
                return new SearchKey.Age(true, args.nzNumber());
            case "YOUNGER":
                args.sp();
                return new SearchKey.Age(false, args.nzNumber());
            case "NOT":
                args.sp();
                return new SearchKey.Not(key());
            case "OR": {
                args.sp();
                SearchKey left = key();
                args.sp();
                return new SearchKey.Or(left, key());
            }
            case "UID":
                args.sp();
                return resolver.resolve(SequenceSet.parse(args), true);
            case "MODSEQ": {
                args.sp();
                if (args.peek() == '"') {
                    args.string(); // entry name: per-flag modseqs are not kept, the message's MODSEQ is used
                    args.sp();
                    String type = args.atom().toLowerCase(Locale.ROOT);
                    if (!type.equals("priv") && !type.equals("shared") && !type.equals("all")) {
                        throw new ImapSyntaxException("bad MODSEQ entry type");
                    }
                    args.sp();
                }
                return new SearchKey.ModSeq(args.number());
            }
            case "EMAILID":
                args.sp();
                return new SearchKey.ObjectId(false, args.atom());
            case "THREADID":
                args.sp();
                return new SearchKey.ObjectId(true, args.atom());
            default:
                throw new ImapSyntaxException("unknown search key " + word);
        }
    }

    private static SearchKey flag(String flag, boolean set) {
        return new SearchKey.Flag(flag, set);
    }

    private SearchKey date(SearchKey.DateField field, SearchKey.DateComparison comparison) throws ImapSyntaxException {
        args.sp();
        return new SearchKey.Date(field, comparison, date(args));
    }

    /** {@code date} of RFC 9051: d-Mon-yyyy, optionally quoted. */
    static LocalDate date(ImapArgs args) throws ImapSyntaxException {
        String text = args.peek() == '"' ? args.string() : args.run("-");
        try {
            return LocalDate.parse(text, DATE);
        } catch (DateTimeParseException e) {
            throw new ImapSyntaxException("bad date " + text);
        }
    }
}
