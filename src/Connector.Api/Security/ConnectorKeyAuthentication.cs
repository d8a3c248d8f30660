using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Connector.Api.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Connector.Api.Security;

/// <summary>
/// The bridge authenticates with the shared key in <c>X-Connector-Key</c> and asserts the acting CRM user with
/// <c>X-Crm-User</c> (id) and <c>X-Crm-Admin</c> (true/false). The key is what is trusted: only the bridge has it.
/// </summary>
public sealed class ConnectorKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptionsMonitor<ConnectorOptions> connectorOptions, IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ConnectorKey";
    public const string KeyHeader = "X-Connector-Key";
    public const string UserHeader = "X-Crm-User";
    public const string AdminHeader = "X-Crm-Admin";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(KeyHeader, out var key) || key.Count != 1)
            return Task.FromResult(AuthenticateResult.Fail($"The {KeyHeader} header is missing."));
        if (!KeyMatches(key.ToString(), connectorOptions.CurrentValue.ApiKey))
            return Task.FromResult(AuthenticateResult.Fail($"The {KeyHeader} header does not carry the connector's key."));

        var claims = new List<Claim>();
        if (Request.Headers.TryGetValue(UserHeader, out var user))
        {
            if (!int.TryParse(user.ToString(), out var crmUserId) || crmUserId <= 0)
                return Task.FromResult(AuthenticateResult.Fail($"{UserHeader} must be a positive CRM user id."));
            claims.Add(new Claim(CrmClaims.UserId, crmUserId.ToString()));
        }
        var admin = Request.Headers[AdminHeader].ToString();
        if (admin.Length > 0 && admin is not ("true" or "false"))
            return Task.FromResult(AuthenticateResult.Fail($"{AdminHeader} must be 'true' or 'false'."));
        if (admin == "true") claims.Add(new Claim(CrmClaims.Admin, "true"));

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await Context.AuthenticateAsync(SchemeName);
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            result.Failure?.Message ?? $"Send the connector's key in {KeyHeader}.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "The acting CRM user may not do this.");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    // Constant-time comparison of hashes: the key's length and content do not leak through timing.
    private static bool KeyMatches(string presented, string expected) =>
        expected.Length > 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
