package org.merpati.web.api;

import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.merpati.ejb.api.SharedFolderAdmin;
import org.merpati.ejb.api.SharedFolderView;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;

/**
 * Public folders of a domain (IMAP {@code Shared/<name>}): only administrators create and delete them; their ACL
 * decides who sees and uses them. Folder names travel in the body or the query, not the path, because they may
 * contain "/" (hierarchy), which servlet containers refuse encoded in a path.
 * <pre>
 *   GET    /api/admin/domains/{domain}/shared-folders                 → [{"name":..,"imapName":..,"acl":{..},..}]
 *   POST   /api/admin/domains/{domain}/shared-folders  {"name":"Projects"}                       → 201
 *   DELETE /api/admin/domains/{domain}/shared-folders?name=Projects                             → 204 (with subfolders)
 *   PUT    /api/admin/domains/{domain}/shared-folders/acl  {"name":"Projects","identifier":"anyone","rights":"lrs"}
 *                                                                     → the folder; empty rights remove the entry
 * </pre>
 */
@Path("/admin/domains/{domain}/shared-folders")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SharedFolderResource {

    @EJB
    SharedFolderAdmin folders;

    /** Request body of POST. */
    public record NewFolder(String name) {
    }

    /** Request body of PUT acl: {@code identifier} is {@code anyone}, an account or a group, "-" for negative. */
    public record AclChange(String name, String identifier, String rights) {
    }

    @GET
    public List<SharedFolderView> list(@PathParam("domain") String domain) {
        return folders.listSharedFolders(domain);
    }

    @POST
    public Response create(@PathParam("domain") String domain, NewFolder body) {
        if (body == null) {
            throw new MailException(MailError.INVALID, "Missing name.");
        }
        return Response.status(Response.Status.CREATED).entity(folders.createSharedFolder(domain, body.name())).build();
    }

    @DELETE
    public Response delete(@PathParam("domain") String domain, @QueryParam("name") String name) {
        folders.deleteSharedFolder(domain, name);
        return Response.noContent().build();
    }

    @PUT
    @Path("/acl")
    public SharedFolderView setAcl(@PathParam("domain") String domain, AclChange body) {
        if (body == null || body.identifier() == null || body.identifier().isBlank()) {
            throw new MailException(MailError.INVALID, "Missing identifier.");
        }
        return folders.setSharedFolderAcl(domain, body.name(), body.identifier(), body.rights());
    }
}
