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
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import org.merpati.ejb.api.AccountView;
import org.merpati.ejb.api.AliasView;
import org.merpati.ejb.api.DirectoryAdmin;
import org.merpati.ejb.api.DomainView;
import org.merpati.ejb.api.GroupView;
import org.merpati.ejb.api.MailboxView;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;

/**
 * Directory administration: domains, accounts, aliases, catch-alls, groups and mailbox listings. JSON in and
 * out; failures are problem responses (see {@link MailExceptionMapper}).
 */
@Path("/admin")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    @EJB
    DirectoryAdmin directory;

    /** Request bodies. */
    public record NewDomain(String name) {
    }

    public record NewAccount(String address, String password, Long quotaBytes, Boolean admin) {
    }

    public record Password(String password) {
    }

    public record Quota(Long quotaBytes) {
    }

    public record NewAlias(String alias, String target) {
    }

    public record CatchAll(String target) {
    }

    public record NewGroup(String address, List<String> members) {
    }

    public record Member(String address) {
    }

    // --- domains

    @GET
    @Path("/domains")
    public List<DomainView> domains() {
        return directory.listDomains();
    }

    @POST
    @Path("/domains")
    public Response createDomain(NewDomain body) {
        DomainView d = directory.createDomain(required(body == null ? null : body.name(), "name"));
        return Response.created(UriBuilder.fromPath("/api/admin/domains/{d}").build(d.name())).entity(d).build();
    }

    @DELETE
    @Path("/domains/{domain}")
    public Response deleteDomain(@PathParam("domain") String domain) {
        directory.deleteDomain(domain);
        return Response.noContent().build();
    }

    @PUT
    @Path("/domains/{domain}/catch-all")
    public Response setCatchAll(@PathParam("domain") String domain, CatchAll body) {
        directory.setCatchAll(domain, required(body == null ? null : body.target(), "target"));
        return Response.noContent().build();
    }

    public record DmarcEnforcement(String enforcement) {
    }

    @PUT
    @Path("/domains/{domain}/dmarc-enforcement")
    public Response setDmarcEnforcement(@PathParam("domain") String domain, DmarcEnforcement body) {
        directory.setDmarcEnforcement(domain, required(body == null ? null : body.enforcement(), "enforcement"));
        return Response.noContent().build();
    }

    @DELETE
    @Path("/domains/{domain}/catch-all")
    public Response removeCatchAll(@PathParam("domain") String domain) {
        directory.setCatchAll(domain, null);
        return Response.noContent().build();
    }

    // --- accounts

    @GET
    @Path("/accounts")
    public List<AccountView> accounts(@QueryParam("domain") String domain) {
        return directory.listAccounts(required(domain, "domain (query parameter)"));
    }

    @POST
    @Path("/accounts")
    public Response createAccount(NewAccount body) {
        if (body == null) {
            throw new MailException(MailError.INVALID, "A JSON body with address and password is required.");
        }
        AccountView a = directory.createAccount(required(body.address(), "address"), required(body.password(), "password"),
                body.quotaBytes(), Boolean.TRUE.equals(body.admin()));
        return Response.created(UriBuilder.fromPath("/api/admin/accounts/{a}").build(a.address())).entity(a).build();
    }

    @GET
    @Path("/accounts/{address}")
    public AccountView account(@PathParam("address") String address) {
        return directory.getAccount(address);
    }

    @DELETE
    @Path("/accounts/{address}")
    public Response deleteAccount(@PathParam("address") String address) {
        directory.deleteAccount(address);
        return Response.noContent().build();
    }

    @PUT
    @Path("/accounts/{address}/password")
    public Response setPassword(@PathParam("address") String address, Password body) {
        directory.setPassword(address, required(body == null ? null : body.password(), "password"));
        return Response.noContent().build();
    }

    @PUT
    @Path("/accounts/{address}/quota")
    public AccountView setQuota(@PathParam("address") String address, Quota body) {
        if (body == null || body.quotaBytes() == null || body.quotaBytes() < 0) {
            throw new MailException(MailError.INVALID, "quotaBytes must be a number of bytes, 0 for unlimited.");
        }
        directory.setQuota(address, body.quotaBytes());
        return directory.getAccount(address);
    }

    @GET
    @Path("/accounts/{address}/mailboxes")
    public List<MailboxView> mailboxes(@PathParam("address") String address) {
        return directory.listMailboxes(address);
    }

    // --- aliases

    @GET
    @Path("/aliases")
    public List<AliasView> aliases(@QueryParam("domain") String domain) {
        return directory.listAliases(required(domain, "domain (query parameter)"));
    }

    @POST
    @Path("/aliases")
    public Response addAlias(NewAlias body) {
        if (body == null) {
            throw new MailException(MailError.INVALID, "A JSON body with alias and target is required.");
        }
        AliasView a = directory.addAlias(required(body.alias(), "alias"), required(body.target(), "target"));
        return Response.status(Response.Status.CREATED).entity(a).build();
    }

    @DELETE
    @Path("/aliases/{alias}/{target}")
    public Response deleteAlias(@PathParam("alias") String alias, @PathParam("target") String target) {
        directory.deleteAlias(alias, target);
        return Response.noContent().build();
    }

    // --- groups (distribution lists)

    @GET
    @Path("/groups")
    public List<GroupView> groups(@QueryParam("domain") String domain) {
        return directory.listGroups(required(domain, "domain (query parameter)"));
    }

    @POST
    @Path("/groups")
    public Response createGroup(NewGroup body) {
        if (body == null) {
            throw new MailException(MailError.INVALID, "A JSON body with address is required.");
        }
        GroupView created = directory.createGroup(required(body.address(), "address"));
        List<String> members = body.members() == null ? List.of() : body.members();
        for (String m : members) {
            directory.addGroupMember(created.address(), m);
        }
        return Response.status(Response.Status.CREATED).entity(new GroupView(created.address(), members)).build();
    }

    @POST
    @Path("/groups/{group}/members")
    public Response addMember(@PathParam("group") String group, Member body) {
        directory.addGroupMember(group, required(body == null ? null : body.address(), "address"));
        return Response.noContent().build();
    }

    @DELETE
    @Path("/groups/{group}/members/{member}")
    public Response removeMember(@PathParam("group") String group, @PathParam("member") String member) {
        directory.removeGroupMember(group, member);
        return Response.noContent().build();
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new MailException(MailError.INVALID, "Missing " + name + ".");
        }
        return value;
    }
}
