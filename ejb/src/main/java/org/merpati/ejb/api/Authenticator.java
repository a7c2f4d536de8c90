package org.merpati.ejb.api;

import jakarta.ejb.Local;
import java.util.Optional;

/** Checks a login and password against the built-in directory. */
@Local
public interface Authenticator {

    /**
     * @param login an account address; a bare local part means the primary domain
     * @return the account when the password matches and the account is enabled
     */
    Optional<AuthenticatedAccount> authenticate(String login, String password);

    record AuthenticatedAccount(String address, boolean admin) {
    }
}
