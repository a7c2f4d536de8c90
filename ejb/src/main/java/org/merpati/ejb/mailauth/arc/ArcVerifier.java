package org.merpati.ejb.mailauth.arc;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.merpati.ejb.mailauth.ArcResult;
import org.merpati.ejb.mailauth.dkim.BodyHash;
import org.merpati.ejb.mailauth.dkim.BodyHashes;
import org.merpati.ejb.mailauth.dkim.DkimFailure;
import org.merpati.ejb.mailauth.dkim.DkimKeyRecord;
import org.merpati.ejb.mailauth.dkim.DkimSignature;
import org.merpati.ejb.mailauth.dkim.DkimVerifier;
import org.merpati.ejb.mailauth.dkim.HeaderTooLargeException;
import org.merpati.ejb.mailauth.dkim.KeyFetcher;
import org.merpati.ejb.mailauth.dkim.KeyLookup;
import org.merpati.ejb.mailauth.dkim.MessageHeader;
import org.merpati.ejb.mailauth.dkim.Signatures;

/**
 * ARC chain validation (RFC 8617 section 5.2): structure, the newest set's cv=, the newest
 * ARC-Message-Signature (checked like a DKIM signature), every ARC-Seal from the newest down with cv=none for
 * instance 1 and cv=pass above. Older message signatures are checked only to find the oldest instance the
 * chain still vouches for. DNS failures make the result fail too (ArcResult has no temperror), with the reason
 * saying so.
 */
public final class ArcVerifier {

    private final DkimVerifier dkim;
    private final KeyFetcher keys;
    private final int maxHeaderBytes;

    public ArcVerifier(KeyLookup lookup, Clock clock, int maxHeaderBytes) {
        this.dkim = new DkimVerifier(lookup, clock, maxHeaderBytes);
        this.keys = new KeyFetcher(lookup);
        this.maxHeaderBytes = maxHeaderBytes;
    }

    public ArcResult verify(Path message) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message), 65536)) {
            return verify(in);
        }
    }

    public ArcResult verify(InputStream in) throws IOException {
        MessageHeader header;
        try {
            header = MessageHeader.read(in, maxHeaderBytes);
        } catch (HeaderTooLargeException e) {
            return new ArcResult("fail", 0, null, e.getMessage());
        }
        ArcChain chain = ArcChain.of(header);
        if (chain.isEmpty()) {
            return ArcResult.NONE;
        }
        int n = chain.highest();
        if (chain.problem() != null) {
            return new ArcResult("fail", n, null, chain.problem());
        }
        if (n > ArcChain.MAX_INSTANCES) {
            return new ArcResult("fail", n, null, "more than " + ArcChain.MAX_INSTANCES + " ARC sets");
        }
        List<ArcSeal> seals = new ArrayList<>();
        List<DkimSignature> signatures = new ArrayList<>();
        List<BodyHash> hashes = new ArrayList<>();
        BodyHashes bodies = new BodyHashes();
        try {
            for (ArcSet set : chain.sets()) {
                seals.add(ArcSeal.parse(set.seal()));
                DkimSignature signature = DkimSignature.parse(set.messageSignature());
                signatures.add(signature);
                hashes.add(bodies.request(signature.bodyCanon(), signature.bodyLength()));
            }
        } catch (DkimFailure e) {
            return new ArcResult("fail", n, null, e.getMessage());
        }
        bodies.consume(in);
        return validate(header, chain, seals, signatures, hashes);
    }

    private ArcResult validate(MessageHeader header, ArcChain chain, List<ArcSeal> seals,
                               List<DkimSignature> signatures, List<BodyHash> hashes) {
        int n = chain.highest();
        if (seals.get(n - 1).chainValidation().equals("fail")) {
            return new ArcResult("fail", n, null, "ARC-Seal i=" + n + " says cv=fail");
        }
        try {
            dkim.check(header, signatures.get(n - 1), hashes.get(n - 1));
        } catch (DkimFailure e) {
            return new ArcResult("fail", n, null, "ARC-Message-Signature i=" + n + ": " + e.getMessage());
        }
        int oldestPass = 1;
        for (int i = n - 1; i >= 1; i--) {
            try {
                dkim.check(header, signatures.get(i - 1), hashes.get(i - 1));
            } catch (DkimFailure e) {
                oldestPass = i + 1;
                break;
            }
        }
        for (int i = n; i >= 1; i--) {
            ArcSeal seal = seals.get(i - 1);
            String expected = i == 1 ? "none" : "pass";
            if (!seal.chainValidation().equals(expected)) {
                return new ArcResult("fail", n, null, "ARC-Seal i=" + i + " has cv=" + seal.chainValidation());
            }
            try {
                checkSeal(chain.sets().subList(0, i), seal);
            } catch (DkimFailure e) {
                return new ArcResult("fail", n, null, "ARC-Seal i=" + i + ": " + e.getMessage());
            }
        }
        return new ArcResult("pass", n, seals.get(oldestPass - 1).domain(), null);
    }

    /** Throws unless {@code seal} (the last of {@code sets}) verifies. */
    void checkSeal(List<ArcSet> sets, ArcSeal seal) throws DkimFailure {
        DkimKeyRecord key = keys.fetch(seal.selector(), seal.domain(), seal.algorithm());
        byte[] data = ArcSeal.signedData(sets, seal.blanked());
        try {
            if (!Signatures.verify(seal.algorithm(), key.publicKey(), data, seal.signature())) {
                throw DkimFailure.fail("seal did not verify");
            }
        } catch (GeneralSecurityException e) {
            throw DkimFailure.permerror("key unusable: " + e.getMessage());
        }
    }
}
