package org.merpati.ejb.mailauth;

import jakarta.persistence.EntityManager;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.merpati.ejb.api.DkimKeyView;
import org.merpati.ejb.api.DnsRecordView;
import org.merpati.ejb.domain.MailAddress;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.mailauth.dkim.DkimAlgorithm;
import org.merpati.ejb.mailauth.dkim.DkimKeys;
import org.merpati.ejb.mailauth.dkim.SigningKey;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.DkimKeyEntity;
import org.merpati.ejb.storage.jpa.DkimKeyRepository;
import org.merpati.ejb.storage.jpa.DomainEntity;

/**
 * The rules for DKIM keys: generation (RSA 2048 or Ed25519), selectors, the private key encrypted at rest, and the
 * DNS records a domain needs. Runs in the caller's transaction; {@link DkimKeyService} is its EJB shell.
 */
public final class DkimKeyManager {

    public static final int RSA_BITS = 2048;
    /** DNS labels, dot-separated (a selector may have several), lower case. */
    private static final Pattern SELECTOR = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM").withZone(ZoneOffset.UTC);

    private final DirectoryRepository directory;
    private final DkimKeyRepository keys;
    private final PrivateKeyCipher cipher;
    private final DkimKeySettings settings;

    public DkimKeyManager(EntityManager em, PrivateKeyCipher cipher, DkimKeySettings settings) {
        this.directory = new DirectoryRepository(em);
        this.keys = new DkimKeyRepository(em);
        this.cipher = cipher;
        this.settings = settings;
    }

    public DkimKeyView generateKey(String domainName, String algorithmName, String selectorName, Instant now) {
        DomainEntity domain = domain(domainName);
        DkimAlgorithm algorithm = algorithm(algorithmName);
        String selector = selectorName == null || selectorName.isBlank()
                ? (algorithm == DkimAlgorithm.RSA_SHA256 ? "merpati-rsa-" : "merpati-ed-") + MONTH.format(now)
                : selectorName.strip().toLowerCase(Locale.ROOT);
        if (selector.length() > 63 || !SELECTOR.matcher(selector).matches()) {
            throw new MailException(MailError.INVALID, "Not a valid selector (DNS labels: letters, digits, '-'): " + selector);
        }
        if (keys.find(domain.getName(), selector).isPresent()) {
            throw new MailException(MailError.EXISTS, "Selector " + selector + " is already used for " + domain.getName()
                    + "; choose another selector.");
        }
        KeyPair pair = generate(algorithm);
        DkimKeyEntity entity = new DkimKeyEntity(domain, selector, algorithm.tagValue(),
                cipher.encrypt(pair.getPrivate().getEncoded()), DkimKeys.publishedValue(pair.getPublic()), now);
        keys.persist(entity);
        return view(entity);
    }

    public List<DkimKeyView> listKeys(String domainName) {
        DomainEntity domain = domain(domainName);
        return keys.list(domain.getName()).stream().map(DkimKeyManager::view).toList();
    }

    public void deactivateKey(String domainName, String selector) {
        DomainEntity domain = domain(domainName);
        DkimKeyEntity key = keys.find(domain.getName(), selector == null ? "" : selector.strip().toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new MailException(MailError.NOT_FOUND, "No DKIM key " + selector + " for " + domainName));
        key.setActive(false);
    }

    public List<DnsRecordView> dnsRecords(String domainName) {
        String domain = domain(domainName).getName();
        String host = settings.hostname().toLowerCase(Locale.ROOT);
        List<DnsRecordView> records = new ArrayList<>();
        records.add(new DnsRecordView(domain, "MX", "10 " + host + ".", "mx"));
        records.add(new DnsRecordView(domain, "TXT", "v=spf1 mx a:" + host + " -all", "spf"));
        records.add(new DnsRecordView("_dmarc." + domain, "TXT", "v=DMARC1; p=quarantine; rua=mailto:postmaster@" + domain,
                "dmarc"));
        for (DkimKeyEntity key : keys.active(domain)) {
            DkimKeyView view = view(key);
            records.add(new DnsRecordView(view.recordName(), "TXT", view.recordValue(), "dkim"));
        }
        return records;
    }

    /** The active keys of a domain, decrypted; empty for a domain without keys or an unknown domain. */
    public List<SigningKey> signingKeys(String domainName) {
        String domain;
        try {
            domain = MailAddress.normalizeDomain(domainName);
        } catch (RuntimeException invalid) {
            return List.of();
        }
        List<SigningKey> result = new ArrayList<>();
        for (DkimKeyEntity key : keys.active(domain)) {
            DkimAlgorithm algorithm = DkimAlgorithm.fromTag(key.getAlgorithm());
            try {
                result.add(new SigningKey(domain, key.getSelector(), algorithm,
                        DkimKeys.privateKey(algorithm, cipher.decrypt(key.getPrivateKey()))));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("DKIM key " + key.getSelector() + " of " + domain
                        + " cannot be decrypted: is MERPATI_DKIM_MASTER_KEY the one it was made with?", e);
            }
        }
        return result;
    }

    static DkimKeyView view(DkimKeyEntity key) {
        DkimAlgorithm algorithm = DkimAlgorithm.fromTag(key.getAlgorithm());
        String domain = key.getDomain().getName();
        return new DkimKeyView(domain, key.getSelector(), key.getAlgorithm(), key.isActive(), key.getCreatedAt(),
                key.getSelector() + "._domainkey." + domain,
                "v=DKIM1; k=" + algorithm.keyType() + "; p=" + key.getPublicKey());
    }

    private DomainEntity domain(String name) {
        if (name == null || name.isBlank()) {
            throw new MailException(MailError.INVALID, "A domain is required.");
        }
        String canonical = MailAddress.normalizeDomain(name.strip());
        return directory.findDomain(canonical)
                .orElseThrow(() -> new MailException(MailError.NOT_FOUND, "No such domain: " + canonical));
    }

    private static DkimAlgorithm algorithm(String name) {
        String value = name == null || name.isBlank() ? "rsa" : name.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "rsa", "rsa-sha256" -> DkimAlgorithm.RSA_SHA256;
            case "ed25519", "ed25519-sha256" -> DkimAlgorithm.ED25519_SHA256;
            default -> throw new MailException(MailError.INVALID, "Unknown DKIM algorithm " + name + " (rsa or ed25519)");
        };
    }

    private static KeyPair generate(DkimAlgorithm algorithm) {
        try {
            if (algorithm == DkimAlgorithm.RSA_SHA256) {
                KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                rsa.initialize(RSA_BITS);
                return rsa.generateKeyPair();
            }
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
