package org.merpati.web.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;

/** The HTTP edge of {@link MailError}: one status and problem type per domain error. */
@Provider
public class MailExceptionMapper implements ExceptionMapper<MailException> {

    @Override
    public Response toResponse(MailException e) {
        MailError error = e.error();
        if (error == MailError.NO_QUOTA) {
            // 507 is not in Response.Status: it comes from WebDAV (RFC 4918) and fits "over quota" exactly
            return Problem.of(507, "Insufficient Storage", kindOf(error), e.getMessage()).toResponse();
        }
        return Problem.of(statusOf(error), kindOf(error), e.getMessage()).toResponse();
    }

    static Status statusOf(MailError error) {
        return switch (error) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case EXISTS, NOT_POSSIBLE -> Status.CONFLICT;
            case INVALID -> Status.BAD_REQUEST;
            case PERMISSION -> Status.FORBIDDEN;
            case NO_QUOTA -> Status.CONFLICT;
            case LIMIT -> Status.REQUEST_ENTITY_TOO_LARGE;
            case TEMPORARY -> Status.SERVICE_UNAVAILABLE;
        };
    }

    static String kindOf(MailError error) {
        return error.name().toLowerCase().replace('_', '-');
    }
}
