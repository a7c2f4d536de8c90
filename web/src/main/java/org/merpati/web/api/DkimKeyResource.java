package org.merpati.web.api;

import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import org.merpati.ejb.api.DkimKeyAdmin;
import org.merpati.ejb.api.DkimKeyView;

/**
 * DKIM keys of a domain. The private key never leaves the server; each key comes with the TXT record to publish.
 * <pre>
 *   GET    /api/admin/domains/{domain}/dkim                                    → [{"selector":..,"algorithm":..,..}]
 *   POST   /api/admin/domains/{domain}/dkim  {"algorithm":"ed25519","selector":"s1"}  → 201 (both optional:
 *          RSA 2048 and merpati-rsa-YYYYMM by default; also as ?algorithm=&amp;selector=)
 *   DELETE /api/admin/domains/{domain}/dkim/{selector}                         → 204, the key stops signing
 * </pre>
 */
@Path("/admin/domains/{domain}/dkim")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DkimKeyResource {

    @EJB
    DkimKeyAdmin keys;

    /** Request body; both fields optional. */
    public record NewKey(String algorithm, String selector) {
    }

    @GET
    public List<DkimKeyView> list(@PathParam("domain") String domain) {
        return keys.listKeys(domain);
    }

    @POST
    public Response generate(@PathParam("domain") String domain, @QueryParam("algorithm") String algorithm,
                             @QueryParam("selector") String selector, NewKey body) {
        String chosenAlgorithm = body != null && body.algorithm() != null ? body.algorithm() : algorithm;
        String chosenSelector = body != null && body.selector() != null ? body.selector() : selector;
        DkimKeyView key = keys.generateKey(domain, chosenAlgorithm, chosenSelector);
        return Response.created(UriBuilder.fromPath("/api/admin/domains/{d}/dkim/{s}").build(key.domain(), key.selector()))
                .entity(key).build();
    }

    @DELETE
    @Path("/{selector}")
    public Response deactivate(@PathParam("domain") String domain, @PathParam("selector") String selector) {
        keys.deactivateKey(domain, selector);
        return Response.noContent().build();
    }
}
