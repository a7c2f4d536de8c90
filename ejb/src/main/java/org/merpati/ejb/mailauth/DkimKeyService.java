package org.merpati.ejb.mailauth;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.merpati.ejb.api.DkimKeyAdmin;
import org.merpati.ejb.api.DkimKeyView;
import org.merpati.ejb.api.DnsRecordView;
import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.mailauth.arc.ArcSealer;
import org.merpati.ejb.mailauth.arc.ArcVerifier;
import org.merpati.ejb.mailauth.dkim.DkimAlgorithm;
import org.merpati.ejb.mailauth.dkim.DkimSigner;
import org.merpati.ejb.mailauth.dkim.MessageHeader;
import org.merpati.ejb.mailauth.dkim.SigningKey;
import org.merpati.ejb.platform.MerpatiConfig;

/**
 * DKIM keys per domain: signing with every active key ({@link MessageSigning}), ARC sealing with the domain's RSA
 * key (RFC 8617 names rsa-sha256 only), and the administration of keys and DNS records ({@link DkimKeyAdmin}).
 * A transactional shell over {@link DkimKeyManager}; decrypted keys are cached per domain.
 */
@Stateless
public class DkimKeyService implements MessageSigning, DkimKeyAdmin {

    private static final SigningKeyCache CACHE = new SigningKeyCache(Clock.systemUTC());
    private static volatile PrivateKeyCipher cipher;

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    private static DkimKeySettings settings() {
        return DkimKeySettings.from(MerpatiConfig.current());
    }

    private DkimKeyManager manager() {
        PrivateKeyCipher c = cipher;
        if (c == null) {
            c = PrivateKeyCipher.from(settings());
            cipher = c;
        }
        return new DkimKeyManager(em, c, settings());
    }

    private List<SigningKey> keys(String domain) {
        return CACHE.get(domain, settings().cacheSeconds(), d -> manager().signingKeys(d));
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public String dkimSignatures(String domain, Path message) throws IOException {
        List<SigningKey> keys = keys(domain);
        return keys.isEmpty() ? "" : new DkimSigner().sign(message, keys, Instant.now().getEpochSecond());
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public String arcSet(String domain, Path message, String authenticationResults) throws IOException {
        SigningKey rsa = keys(domain).stream().filter(k -> k.algorithm() == DkimAlgorithm.RSA_SHA256).findFirst()
                .orElse(null);
        if (rsa == null) {
            return "";
        }
        ArcVerifier verifier = new ArcVerifier(DnsClient.current()::txt, Clock.systemUTC(), MessageHeader.DEFAULT_MAX_BYTES);
        return new ArcSealer(verifier, new DkimSigner()).seal(message, rsa, authenticationResults,
                Instant.now().getEpochSecond());
    }

    @Override
    public DkimKeyView generateKey(String domain, String algorithm, String selector) {
        DkimKeyView key = manager().generateKey(domain, algorithm, selector, Instant.now());
        CACHE.invalidate(key.domain());
        return key;
    }

    @Override
    public List<DkimKeyView> listKeys(String domain) {
        return manager().listKeys(domain);
    }

    @Override
    public void deactivateKey(String domain, String selector) {
        manager().deactivateKey(domain, selector);
        CACHE.invalidate(domain.strip());
    }

    @Override
    public List<DnsRecordView> dnsRecords(String domain) {
        return manager().dnsRecords(domain);
    }
}
