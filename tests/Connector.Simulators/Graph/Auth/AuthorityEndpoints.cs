using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Graph.Auth;

/// <summary>
/// A Microsoft identity platform v2 look-alike at <c>/{tenant}/oauth2/v2.0/{authorize,token}</c> plus the OpenID
/// discovery document and instance discovery MSAL asks for. Authorization code + PKCE (S256), refresh tokens,
/// client credentials with a client secret or a certificate assertion (JWT signed with the registered certificate).
/// The authorize page is a plain HTML form: the mailbox's address and password sign in.
/// </summary>
public static class AuthorityEndpoints
{
    public static void MapAuthority(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant, HttpRequest request) =>
        {
            var root = $"{request.Scheme}://{request.Host}/{tenant}";
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = $"{root}/v2.0",
                ["authorization_endpoint"] = $"{root}/oauth2/v2.0/authorize",
                ["token_endpoint"] = $"{root}/oauth2/v2.0/token",
                ["jwks_uri"] = $"{root}/discovery/v2.0/keys",
                ["response_types_supported"] = new[] { "code" },
                ["response_modes_supported"] = new[] { "query", "form_post" },
                ["subject_types_supported"] = new[] { "pairwise" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
                ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "private_key_jwt" },
                ["code_challenge_methods_supported"] = new[] { "S256", "plain" },
                ["tenant_region_scope"] = "EU",
            });
        });
        app.MapGet("/common/discovery/instance", (HttpRequest request) => Results.Json(new
        {
            tenant_discovery_endpoint = $"{request.Scheme}://{request.Host}/common/v2.0/.well-known/openid-configuration",
            api_version = "1.1",
            metadata = new[] { new { preferred_network = request.Host.ToString(), preferred_cache = request.Host.ToString(), aliases = new[] { request.Host.ToString() } } },
        }));

        app.MapGet("/{tenant}/oauth2/v2.0/authorize", (string tenant, HttpRequest request, OAuthState state) =>
        {
            var q = request.Query;
            if (Validate(tenant, q["client_id"], q["redirect_uri"], q["response_type"], state) is { } error)
                return Results.Content(Page($"<p id=\"error\">{WebUtility.HtmlEncode(error)}</p>"), "text/html", statusCode: 400);
            var hidden = string.Concat(q.Select(p => $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(p.Key)}\" value=\"{WebUtility.HtmlEncode(p.Value.ToString())}\">"));
            return Results.Content(Page($"""
                <h1>Sign in</h1>
                <form method="post" action="authorize">{hidden}
                  <label>Email <input name="login" type="email" value="{WebUtility.HtmlEncode(q["login_hint"].ToString())}"></label>
                  <label>Password <input name="passwd" type="password"></label>
                  <button type="submit" id="signin">Sign in</button>
                </form>
                """), "text/html");
        });

        app.MapPost("/{tenant}/oauth2/v2.0/authorize", async (string tenant, HttpRequest request, OAuthState state, MailboxDirectory mailboxes) =>
        {
            var form = await request.ReadFormAsync();
            string? Field(string name) => form[name].FirstOrDefault();
            if (Validate(tenant, Field("client_id"), Field("redirect_uri"), Field("response_type"), state) is { } error)
                return Results.Content(Page($"<p id=\"error\">{WebUtility.HtmlEncode(error)}</p>"), "text/html", statusCode: 400);
            var mailbox = mailboxes.Find(Field("login") ?? "");
            if (mailbox is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(mailbox.Password), Encoding.UTF8.GetBytes(Field("passwd") ?? "")))
                return Results.Content(Page("<p id=\"error\">AADSTS50126: Error validating credentials due to invalid username or password.</p>"), "text/html", statusCode: 200);
            var code = state.IssueCode(new PendingCode(tenant, Field("client_id")!, mailbox.Address, Field("redirect_uri")!,
                Field("code_challenge"), Field("code_challenge_method"), Field("scope") ?? "", state.Clock.GetUtcNow().AddMinutes(10)));
            var redirect = new UriBuilder(Field("redirect_uri")!);
            var query = $"code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(Field("state") ?? "")}";
            redirect.Query = string.IsNullOrEmpty(redirect.Query) ? query : redirect.Query.TrimStart('?') + "&" + query;
            return Results.Redirect(redirect.Uri.AbsoluteUri);
        });

        app.MapPost("/{tenant}/oauth2/v2.0/token", async (string tenant, HttpRequest request, OAuthState state, MailboxDirectory mailboxes) =>
        {
            if (!request.HasFormContentType) return TokenError("invalid_request", "AADSTS900144: The request body must be application/x-www-form-urlencoded.");
            var form = await request.ReadFormAsync();
            string? Field(string name) => form[name].FirstOrDefault();
            var app = state.FindApp(Field("client_id"));
            if (app is null || !app.TenantId.Equals(tenant, StringComparison.OrdinalIgnoreCase) && tenant is not ("common" or "organizations"))
                return TokenError("unauthorized_client", $"AADSTS700016: Application with identifier '{Field("client_id")}' was not found in the directory '{tenant}'.", 400);
            var tokenUrl = $"{request.Scheme}://{request.Host}{request.Path}";
            if (AuthenticateClient(app, Field("client_secret"), Field("client_assertion_type"), Field("client_assertion"), tokenUrl, state.Clock) is { } clientError)
                return TokenError("invalid_client", clientError, 401);

            switch (Field("grant_type"))
            {
                case "client_credentials":
                {
                    var (token, grant) = state.IssueAccessToken(app, user: null);
                    return TokenResponse(token, grant, Field("scope") ?? "https://graph.microsoft.com/.default", state, refreshToken: null, idToken: null);
                }
                case "authorization_code":
                {
                    var code = state.RedeemCode(Field("code") ?? "");
                    if (code is null || code.ClientId != app.ClientId)
                        return TokenError("invalid_grant", "AADSTS70008: The provided authorization code or refresh token has expired or was already redeemed.");
                    if (code.RedirectUri != Field("redirect_uri"))
                        return TokenError("invalid_grant", "AADSTS50148: The redirect_uri does not match the one used in the authorization request.");
                    if (code.CodeChallenge is not null && !PkceMatches(code.CodeChallenge, code.CodeChallengeMethod, Field("code_verifier")))
                        return TokenError("invalid_grant", "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.");
                    return UserTokens(app, code.User, code.Scope, tenant, request, state, mailboxes);
                }
                case "refresh_token":
                {
                    var refresh = state.RedeemRefreshToken(Field("refresh_token") ?? "");
                    if (refresh is null || refresh.Value.ClientId != app.ClientId)
                        return TokenError("invalid_grant", "AADSTS700082: The refresh token has expired or was revoked. The user must sign in again.");
                    return UserTokens(app, refresh.Value.User, Field("scope") ?? refresh.Value.Scope, tenant, request, state, mailboxes);
                }
                default:
                    return TokenError("unsupported_grant_type", $"AADSTS70003: The app requested an unsupported grant type '{Field("grant_type")}'.");
            }
        }).DisableAntiforgery();
    }

    private static string? Validate(string tenant, string? clientId, string? redirectUri, string? responseType, OAuthState state)
    {
        var app = state.FindApp(clientId);
        if (app is null) return $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory '{tenant}'.";
        if (responseType != "code") return "AADSTS900144: response_type must be 'code'.";
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out _)) return "AADSTS50011: The redirect URI is missing or invalid.";
        return null;
    }

    private static IResult UserTokens(AppRegistration app, string user, string scope, string tenant, HttpRequest request, OAuthState state, MailboxDirectory mailboxes)
    {
        var (token, grant) = state.IssueAccessToken(app, user);
        var refreshToken = state.IssueRefreshToken(app.TenantId, app.ClientId, user, scope);
        var name = mailboxes.Find(user)?.DisplayName ?? user;
        var oid = new Guid(MD5.HashData(Encoding.UTF8.GetBytes(user.ToLowerInvariant()))).ToString();
        var idToken = UnsignedJwt(new Dictionary<string, object>
        {
            ["aud"] = app.ClientId, ["iss"] = $"{request.Scheme}://{request.Host}/{app.TenantId}/v2.0",
            ["iat"] = state.Clock.GetUtcNow().ToUnixTimeSeconds(), ["nbf"] = state.Clock.GetUtcNow().ToUnixTimeSeconds(),
            ["exp"] = state.Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(),
            ["name"] = name, ["preferred_username"] = user, ["oid"] = oid, ["sub"] = oid, ["tid"] = app.TenantId, ["ver"] = "2.0",
        });
        var clientInfo = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { uid = oid, utid = app.TenantId }));
        return TokenResponse(token, grant, scope, state, refreshToken, idToken, clientInfo);
    }

    private static IResult TokenResponse(string token, TokenGrant grant, string scope, OAuthState state, string? refreshToken, string? idToken, string? clientInfo = null)
    {
        var seconds = (long)(grant.ExpiresAt - state.Clock.GetUtcNow()).TotalSeconds;
        var body = new Dictionary<string, object> { ["token_type"] = "Bearer", ["scope"] = scope, ["expires_in"] = seconds, ["ext_expires_in"] = seconds, ["access_token"] = token };
        if (refreshToken is not null) body["refresh_token"] = refreshToken;
        if (idToken is not null) body["id_token"] = idToken;
        if (clientInfo is not null) body["client_info"] = clientInfo;
        return Results.Json(body);
    }

    private static IResult TokenError(string error, string description, int status = 400) =>
        Results.Json(new { error, error_description = description, error_codes = new[] { int.TryParse(description[6..description.IndexOf(':')], out var c) ? c : 0 }, timestamp = DateTime.UtcNow.ToString("u"), trace_id = Guid.NewGuid(), correlation_id = Guid.NewGuid() }, statusCode: status);

    private static string? AuthenticateClient(AppRegistration app, string? secret, string? assertionType, string? assertion, string tokenUrl, TimeProvider clock)
    {
        if (secret is not null)
            return app.ClientSecret is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(app.ClientSecret), Encoding.UTF8.GetBytes(secret))
                ? null : "AADSTS7000215: Invalid client secret provided.";
        if (assertion is not null)
        {
            if (assertionType != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") return "AADSTS50027: Invalid client_assertion_type.";
            if (app.Certificate is null) return "AADSTS700027: No certificate is registered for the application.";
            return VerifyAssertion(app, assertion, tokenUrl, clock);
        }
        // Public clients (no secret) may redeem codes with PKCE only; this simulator treats an app without a secret
        // and certificate as public.
        return app.ClientSecret is null && app.Certificate is null ? null : "AADSTS7000218: The request body must contain client_assertion or client_secret.";
    }

    private static string? VerifyAssertion(AppRegistration app, string jwt, string tokenUrl, TimeProvider clock)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) return "AADSTS50027: Invalid JWT token.";
        using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
        using var payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        var alg = header.RootElement.TryGetProperty("alg", out var a) ? a.GetString() : null;
        using var rsa = app.Certificate!.GetRSAPublicKey();
        if (rsa is null) return "AADSTS700027: The registered certificate has no RSA key.";
        var padding = alg == "PS256" ? RSASignaturePadding.Pss : alg == "RS256" ? RSASignaturePadding.Pkcs1 : null;
        if (padding is null || !rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, padding))
            return "AADSTS700027: Client assertion failed signature validation.";
        var claims = payload.RootElement;
        string? Claim(string n) => claims.TryGetProperty(n, out var v) ? v.ToString() : null;
        if (Claim("iss") != app.ClientId || Claim("sub") != app.ClientId) return "AADSTS700023: Client assertion iss/sub must be the client id.";
        if (!string.Equals(Claim("aud")?.TrimEnd('/'), tokenUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            return $"AADSTS700021: Client assertion audience claim does not match the token endpoint ({tokenUrl}).";
        if (!long.TryParse(Claim("exp"), out var exp) || DateTimeOffset.FromUnixTimeSeconds(exp) < clock.GetUtcNow())
            return "AADSTS700024: Client assertion is not within its valid time range.";
        return null;
    }

    private static bool PkceMatches(string challenge, string? method, string? verifier)
    {
        if (string.IsNullOrEmpty(verifier)) return false;
        var computed = method == "S256" ? Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    private static string UnsignedJwt(Dictionary<string, object> claims) =>
        Base64Url("""{"alg":"none","typ":"JWT"}"""u8.ToArray()) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims)) + ".";

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    private static string Page(string body) =>
        $"<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign in to your account</title></head><body>{body}</body></html>";
}
