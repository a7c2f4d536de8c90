package org.merpati.web.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** All REST resources live under {@code /api}; the rest of the URL space is left to DAV and webmail. */
@ApplicationPath("/api")
public class MerpatiApi extends Application {
}
