package org.merpati.web.api;

import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.merpati.ejb.api.SendAsAdmin;
import org.merpati.ejb.api.SendAsView;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;

/**
 * Send-as grants of one account: the addresses (or {@code @domain}) it may use as sender on submission besides
 * its own address and the aliases that point at it — shared and role mailboxes.
 * <pre>
 *   GET    /api/admin/accounts/{address}/send-as            → [{"account":..,"address":..}]
 *   POST   /api/admin/accounts/{address}/send-as  {"address":"info@example.com"}  → 201
 *   DELETE /api/admin/accounts/{address}/send-as/{granted}  → 204
 * </pre>
 */
@Path("/admin/accounts/{account}/send-as")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SendAsResource {

    @EJB
    SendAsAdmin sendAs;

    /** Request body: a mailbox address, or {@code @domain}. */
    public record Grant(String address) {
    }

    @GET
    public List<SendAsView> list(@PathParam("account") String account) {
        return sendAs.listSendAs(account);
    }

    @POST
    public Response grant(@PathParam("account") String account, Grant body) {
        if (body == null || body.address() == null || body.address().isBlank()) {
            throw new MailException(MailError.INVALID, "Missing address.");
        }
        return Response.status(Response.Status.CREATED).entity(sendAs.grantSendAs(account, body.address())).build();
    }

    @DELETE
    @Path("/{address}")
    public Response revoke(@PathParam("account") String account, @PathParam("address") String address) {
        sendAs.revokeSendAs(account, address);
        return Response.noContent().build();
    }
}
