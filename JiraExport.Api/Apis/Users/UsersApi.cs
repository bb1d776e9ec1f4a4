using JiraExport.Api.Audit;
using JiraExport.Api.Auth;
using JiraExport.Api.Extensions;
using JiraExport.Api.OpenApi;
using JiraExport.Core.Identity;

namespace JiraExport.Api.Apis;

/// <summary>
/// Every route under <c>users</c>: the tenant's members (<c>UsersApi.Members</c>) and its invitations
/// (<see cref="InvitationsApi"/>; accepting one is under <c>auth</c>). Tenant admins only.
/// </summary>
public static partial class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("users").WithTags("Users").RequireTenant().RequireAuthorization(Scopes.TenantAdmin);

        api.MapGet("/", ListMembers)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListMembers")
            .WithSummary("The tenant's members and their roles");
        api.MapGet("/", ListMembersV2)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListMembers")
            .WithSummary("The tenant's members and their roles, newest first");
        api.MapPatch("/{userId:guid}", ChangeRole)
            .WithName("ChangeRole")
            .WithSummary("Change a member's role");
        api.MapDelete("/{userId:guid}", RemoveMember)
            .WithName("RemoveMember")
            .WithSummary("Remove a member from the tenant");

        api.MapGet("/{userId:guid}/personal-data", ExportPersonalData)
            .AuditsReads()
            .WithName("ExportPersonalData")
            .WithSummary("Everything this tenant keeps about a member, as one JSON document (access and portability requests)");
        api.MapPost("/{userId:guid}/erasure", ErasePerson)
            .WithName("ErasePerson")
            .WithSummary("Erase a member from the tenant: their own data removed, the tenant's history kept under a pseudonym, the account deleted with its last tenant");

        api.MapPost("/", InvitationsApi.InviteUser)
            .WithName("InviteUser")
            .WithSummary("Invite a person by email to join the tenant with a role");
        api.MapGet("/invitations", InvitationsApi.ListInvitations)
            .MapToApiVersion(ApiVersions.V1)
            .WithName("ListInvitations")
            .WithSummary("Invitations not yet accepted");
        api.MapGet("/invitations", InvitationsApi.ListInvitationsV2)
            .MapToApiVersion(ApiVersions.V2)
            .WithNameInV2("ListInvitations")
            .WithSummary("Invitations not yet accepted, newest first");
        api.MapDelete("/invitations/{id:guid}", InvitationsApi.RevokeInvitation)
            .WithName("RevokeInvitation")
            .WithSummary("Withdraw an invitation");

        return app;
    }
}
