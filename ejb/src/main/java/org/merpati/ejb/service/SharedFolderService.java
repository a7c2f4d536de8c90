package org.merpati.ejb.service;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import org.merpati.ejb.api.SharedFolderAdmin;
import org.merpati.ejb.api.SharedFolderView;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.storage.blob.BlobStore;

/** Public folder administration for the web tier: a transactional shell over {@link SharedFolderManager}. */
@Stateless
public class SharedFolderService implements SharedFolderAdmin {

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    @Resource
    private TransactionSynchronizationRegistry transactionRegistry;

    private SharedFolderManager manager() {
        return new SharedFolderManager(em, new BlobStore(MerpatiConfig.current().blobDir()),
                new ChangeNotifier(transactionRegistry));
    }

    @Override
    public SharedFolderView createSharedFolder(String domain, String name) {
        return manager().create(domain, name);
    }

    @Override
    public List<SharedFolderView> listSharedFolders(String domain) {
        return manager().list(domain);
    }

    @Override
    public void deleteSharedFolder(String domain, String name) {
        manager().delete(domain, name);
    }

    @Override
    public SharedFolderView setSharedFolderAcl(String domain, String name, String identifier, String rights) {
        return manager().setAcl(domain, name, identifier, rights);
    }
}
