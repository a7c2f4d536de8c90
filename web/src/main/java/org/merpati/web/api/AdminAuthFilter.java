package org.merpati.web.api;

import jakarta.annotation.Priority;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.merpati.ejb.api.Authenticator;
import org.merpati.ejb.api.Authenticator.AuthenticatedAccount;

/**
 * HTTP Basic authentication of administrators against the built-in directory. Basic is sent only over TLS
 * in production (a reverse proxy or the HTTPS listener); Keycloak bearer tokens come with the identity work.
 * Repeated failures from one client are slowed down by {@link AuthFailureThrottle}.
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthFilter implements ContainerRequestFilter {

    static final String CHALLENGE = "Basic realm=\"Merpati administration\", charset=\"UTF-8\"";

    @EJB
    Authenticator authenticator;

    @jakarta.inject.Inject
    AuthFailureThrottle throttle;

    @jakarta.inject.Inject
    jakarta.servlet.http.HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext ctx) {
        String client = request.getRemoteAddr();
        if (throttle.isBlocked(client)) {
            ctx.abortWith(Response.fromResponse(Problem.of(Response.Status.TOO_MANY_REQUESTS, "too-many-failures",
                    "Too many failed logins from this address; try again later.").toResponse())
                    .header(HttpHeaders.RETRY_AFTER, throttle.blockSeconds()).build());
            return;
        }
        Optional<String[]> credentials = basicCredentials(ctx.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (credentials.isEmpty()) {
            ctx.abortWith(unauthorized("Authentication required."));
            return;
        }
        Optional<AuthenticatedAccount> account = authenticator.authenticate(credentials.get()[0], credentials.get()[1]);
        if (account.isEmpty()) {
            throttle.failed(client);
            ctx.abortWith(unauthorized("Wrong user name or password."));
            return;
        }
        throttle.succeeded(client);
        if (!account.get().admin()) {
            ctx.abortWith(Problem.of(Response.Status.FORBIDDEN, "permission",
                    "Account " + account.get().address() + " is not an administrator.").toResponse());
        }
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(Problem.of(Response.Status.UNAUTHORIZED, "unauthorized", detail).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    /** @return user and password of a well-formed Basic header */
    static Optional<String[]> basicCredentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    }
}
