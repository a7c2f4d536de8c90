package org.merpati.ejb.submission;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import org.merpati.ejb.api.SendAsView;
import org.merpati.ejb.domain.MailAddress;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.storage.jpa.AccountEntity;
import org.merpati.ejb.storage.jpa.AliasEntity;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.SendAsEntity;
import org.merpati.ejb.storage.jpa.SendAsRepository;

/**
 * The rules of send-as grants (validation, canonical forms), in the caller's transaction; {@link SendAsService}
 * is its EJB shell. The granted address need not be local: an organisation may send as a partner domain it
 * is authorised for (receivers judge that by SPF/DKIM/DMARC).
 */
public final class SendAsManager {

    private final DirectoryRepository directory;
    private final SendAsRepository grants;

    public SendAsManager(EntityManager em) {
        this.directory = new DirectoryRepository(em);
        this.grants = new SendAsRepository(em);
    }

    public SendAsView grant(String account, String address) {
        AccountEntity holder = account(account);
        String canonical = canonicalGrant(address);
        if (canonical.equals(holder.getAddress())) {
            throw new MailException(MailError.INVALID, "An account may always send as its own address");
        }
        if (grants.find(holder, canonical).isPresent()) {
            throw new MailException(MailError.EXISTS, holder.getAddress() + " may already send as " + canonical);
        }
        grants.persist(new SendAsEntity(holder, canonical, Instant.now()));
        return new SendAsView(holder.getAddress(), canonical);
    }

    public List<SendAsView> list(String account) {
        AccountEntity holder = account(account);
        return grants.listFor(holder).stream().map(g -> new SendAsView(holder.getAddress(), g.getAddress())).toList();
    }

    public void revoke(String account, String address) {
        AccountEntity holder = account(account);
        String canonical = canonicalGrant(address);
        SendAsEntity grant = grants.find(holder, canonical).orElseThrow(() -> new MailException(MailError.NOT_FOUND,
                "No send-as grant " + holder.getAddress() + " → " + canonical));
        grants.remove(grant);
    }

    /**
     * The sender rules ({@link SenderOwnership}) over this directory.
     *
     * @param account the account's canonical address
     * @return the first of the addresses the account may not send as, or null when it may use them all
     */
    public String firstForeign(String account, List<String> addresses) {
        return new SenderOwnership(account, new SenderOwnership.Directory() {
            @Override
            public List<String> aliasTargets(String alias) {
                return directory.findAliasTargets(alias).stream().map(AliasEntity::getTarget).toList();
            }

            @Override
            public List<String> sendAsGrants(String holder) {
                return grants.grantsOf(holder);
            }
        }).firstForeign(addresses);
    }

    /** {@code Info@Example.COM} → {@code info@example.com}; {@code @Example.COM} → {@code @example.com}. */
    static String canonicalGrant(String address) {
        if (address == null || address.isBlank()) {
            throw new MailException(MailError.INVALID, "Missing address");
        }
        String text = address.trim();
        if (text.startsWith("@")) {
            return "@" + MailAddress.normalizeDomain(text.substring(1));
        }
        MailAddress parsed = MailAddress.parse(text);
        if (parsed.isIpLiteral() || parsed.routingTrick().isPresent()) {
            throw new MailException(MailError.INVALID, "Not a plain mailbox address: " + text);
        }
        return parsed.canonical();
    }

    private AccountEntity account(String address) {
        if (address == null || address.isBlank()) {
            throw new MailException(MailError.INVALID, "Missing account");
        }
        String canonical = MailAddress.parse(address.trim()).canonical();
        return directory.findAccount(canonical)
                .orElseThrow(() -> new MailException(MailError.NOT_FOUND, "No such account: " + canonical));
    }
}
