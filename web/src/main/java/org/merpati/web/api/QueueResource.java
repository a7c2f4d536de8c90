package org.merpati.web.api;

import jakarta.ejb.EJB;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.merpati.ejb.api.QueueAdmin;
import org.merpati.ejb.api.QueuedMessageView;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;

/**
 * The outbound queue: what waits for remote delivery, and the administrator's levers on it.
 * <pre>
 *   GET    /api/admin/queue?offset=0&amp;limit=100  → [{"id":..,"sender":..,"created":..,"recipients":[{"address":..,
 *                                                  "state":..,"attempts":..,"nextAttempt":..,"lastError":..}]}]
 *   POST   /api/admin/queue/{id}/retry            → {"recipients": n}   (waiting recipients due now)
 *   POST   /api/admin/queue/{id}/bounce           → {"recipients": n}   (failed with 5.0.0, one DSN to the sender)
 *   DELETE /api/admin/queue/{id}                  → 204                 (dropped, no DSN)
 * </pre>
 * An unknown id (or a message that finished meanwhile) is a 404 problem.
 */
@Path("/admin/queue")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    @EJB
    QueueAdmin queue;

    /** How many recipients an operation acted on. */
    public record Affected(int recipients) {
    }

    @GET
    public List<QueuedMessageView> list(@QueryParam("offset") @DefaultValue("0") int offset,
                                        @QueryParam("limit") @DefaultValue("100") int limit) {
        return queue.list(offset, limit);
    }

    public record Flushed(int messages) {
    }

    /** Every waiting recipient due now (after an outage was fixed). */
    @POST
    @Path("/flush")
    public Flushed flush() {
        return new Flushed(queue.flush());
    }

    @POST
    @Path("/{id}/retry")
    public Affected retry(@PathParam("id") String id) {
        return new Affected(queue.retry(id(id)));
    }

    @POST
    @Path("/{id}/bounce")
    public Affected bounce(@PathParam("id") String id) {
        return new Affected(queue.bounce(id(id)));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        queue.delete(id(id));
        return Response.noContent().build();
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new MailException(MailError.INVALID, "A queue id is a number: " + id);
        }
    }
}
