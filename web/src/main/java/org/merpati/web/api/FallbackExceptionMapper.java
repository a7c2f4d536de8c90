package org.merpati.web.api;

import jakarta.ejb.EJBException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.merpati.ejb.domain.MailException;

/**
 * Everything that is not a {@link MailException} becomes a problem response too: the status of a JAX-RS
 * exception (404, 405, 415 ...) as is, anything else a 500 whose details stay in the server log, never on the
 * wire.
 */
@Provider
public class FallbackExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(FallbackExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof EJBException && e.getCause() instanceof MailException mail) {
            return new MailExceptionMapper().toResponse(mail);
        }
        if (e instanceof jakarta.ws.rs.ProcessingException || e instanceof jakarta.json.bind.JsonbException) {
            // an unreadable request body (malformed JSON, wrong types): the client's fault, said without internals
            return Problem.of(Status.BAD_REQUEST, "malformed-request",
                    "The request body is not valid JSON of the expected shape.").toResponse();
        }
        if (e instanceof WebApplicationException wae) {
            Response r = wae.getResponse();
            Status status = Status.fromStatusCode(r.getStatus());
            if (status == null) {
                status = Status.BAD_REQUEST;
            }
            String kind = status.getFamily() == Status.Family.CLIENT_ERROR ? "bad-request" : "server-error";
            if (status == Status.NOT_FOUND) {
                kind = "not-found";
            }
            Response.ResponseBuilder b = Response.fromResponse(
                    Problem.of(status, kind, status.getReasonPhrase()).toResponse());
            r.getHeaders().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("Content-Type") && !k.equalsIgnoreCase("Content-Length")) {
                    v.forEach(val -> b.header(k, val));
                }
            });
            return b.build();
        }
        LOG.log(Level.SEVERE, "Unhandled error in the REST API", e);
        return Problem.of(Status.INTERNAL_SERVER_ERROR, "server-error",
                "The server could not complete the request; the server log has the details.").toResponse();
    }
}
