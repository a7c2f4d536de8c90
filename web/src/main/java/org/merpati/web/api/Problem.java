package org.merpati.web.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail. {@code type} is a URI naming the kind of problem; clients switch on it, people
 * read {@code detail}.
 */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://merpati.org/problems/";

    public static Problem of(Response.Status status, String kind, String detail) {
        return of(status.getStatusCode(), status.getReasonPhrase(), kind, detail);
    }

    public static Problem of(int status, String title, String kind, String detail) {
        return new Problem(TYPE_BASE + kind, title, status, detail);
    }

    public Response toResponse() {
        return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this).build();
    }
}
