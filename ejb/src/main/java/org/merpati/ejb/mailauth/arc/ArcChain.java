package org.merpati.ejb.mailauth.arc;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.merpati.ejb.mailauth.dkim.DkimFailure;
import org.merpati.ejb.mailauth.dkim.DkimSignature;
import org.merpati.ejb.mailauth.dkim.HeaderField;
import org.merpati.ejb.mailauth.dkim.MessageHeader;
import org.merpati.ejb.mailauth.dkim.TagList;

/**
 * The ARC sets of a message, in instance order, with the structural checks of RFC 8617 section 5.2 step 2:
 * each instance has exactly one field of each kind, instances run 1..N without gaps, N is at most 50.
 *
 * @param sets     the sets, instance 1 first (empty when the message has no ARC fields)
 * @param highest  the highest instance seen (also when the structure is broken)
 * @param problem  why the structure is broken, or null
 */
public record ArcChain(List<ArcSet> sets, int highest, String problem) {

    public static final int MAX_INSTANCES = 50;

    public boolean isEmpty() {
        return sets.isEmpty() && problem == null;
    }

    public static ArcChain of(MessageHeader header) {
        TreeMap<Integer, HeaderField[]> byInstance = new TreeMap<>();
        String problem = null;
        int highest = 0;
        for (HeaderField field : header.fields()) {
            int kind = field.hasName(ArcSet.AUTHENTICATION_RESULTS) ? 0
                    : field.hasName(ArcSet.MESSAGE_SIGNATURE) ? 1
                    : field.hasName(ArcSet.SEAL) ? 2 : -1;
            if (kind < 0) {
                continue;
            }
            int instance;
            try {
                instance = kind == 0 ? authResultsInstance(field.value()) : DkimSignature.instanceOf(TagList.parse(field.value()));
            } catch (DkimFailure | IllegalArgumentException e) {
                problem = problem != null ? problem : field.name() + " without a valid i=";
                continue;
            }
            highest = Math.max(highest, instance);
            HeaderField[] set = byInstance.computeIfAbsent(instance, i -> new HeaderField[3]);
            if (set[kind] != null) {
                problem = problem != null ? problem : "two " + field.name() + " fields with i=" + instance;
            }
            set[kind] = field;
        }
        List<ArcSet> sets = new ArrayList<>();
        int expected = 1;
        for (var entry : byInstance.entrySet()) {
            HeaderField[] set = entry.getValue();
            if (entry.getKey() != expected) {
                problem = problem != null ? problem : "ARC instance " + expected + " is missing";
            } else if (set[0] == null || set[1] == null || set[2] == null) {
                problem = problem != null ? problem : "ARC set " + expected + " is incomplete";
            } else {
                sets.add(new ArcSet(expected, set[0], set[1], set[2]));
            }
            expected++;
        }
        return new ArcChain(List.copyOf(sets), highest, problem);
    }

    /** The {@code i=} that starts an ARC-Authentication-Results value ({@code i=1; authserv-id; ...}). */
    static int authResultsInstance(String value) throws DkimFailure {
        int semicolon = value.indexOf(';');
        String first = (semicolon < 0 ? value : value.substring(0, semicolon)).strip();
        if (!first.startsWith("i=")) {
            throw DkimFailure.permerror("no i=");
        }
        return DkimSignature.instanceOf(TagList.parse(first));
    }
}
