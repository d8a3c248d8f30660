using System.Security.Claims;

namespace Connector.Api.Security;

/// <summary>The acting CRM user, as the bridge asserted it.</summary>
public static class CrmClaims
{
    public const string UserId = "crm_user_id";
    public const string Admin = "crm_admin";

    public static int? CrmUserId(this ClaimsPrincipal principal) =>
        int.TryParse(principal.FindFirstValue(UserId), out var id) ? id : null;

    public static bool IsCrmAdmin(this ClaimsPrincipal principal) => principal.HasClaim(Admin, "true");

    /// <summary>Admins act on anyone; other users only on themselves.</summary>
    public static bool MayActOn(this ClaimsPrincipal principal, int crmUserId) =>
        principal.IsCrmAdmin() || principal.CrmUserId() == crmUserId;
}
