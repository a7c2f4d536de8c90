package org.merpati.web.api;

import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.merpati.ejb.api.Health;

/**
 * Liveness (the process answers HTTP) and readiness (storage answers). Load balancers and the tests poll
 * {@code /api/health/ready} before sending traffic.
 */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    @EJB
    Health health;

    @GET
    @Path("/live")
    public Map<String, String> live() {
        return Map.of("status", "UP");
    }

    @GET
    @Path("/ready")
    public Response ready() {
        String problem;
        try {
            problem = health.storageProblem();
        } catch (RuntimeException e) {
            problem = "storage check failed: " + e.getClass().getSimpleName();
        }
        if (problem == null) {
            return Response.ok(Map.of("status", "UP")).build();
        }
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .entity(Map.of("status", "DOWN", "reason", problem)).build();
    }
}
