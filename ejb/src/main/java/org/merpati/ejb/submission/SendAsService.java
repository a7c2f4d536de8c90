package org.merpati.ejb.submission;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import org.merpati.ejb.api.SendAsAdmin;
import org.merpati.ejb.api.SendAsView;

/** Send-as administration for the web tier: a transactional shell over {@link SendAsManager}. */
@Stateless
public class SendAsService implements SendAsAdmin {

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    @Override
    public SendAsView grantSendAs(String account, String address) {
        return new SendAsManager(em).grant(account, address);
    }

    @Override
    public List<SendAsView> listSendAs(String account) {
        return new SendAsManager(em).list(account);
    }

    @Override
    public void revokeSendAs(String account, String address) {
        new SendAsManager(em).revoke(account, address);
    }
}
