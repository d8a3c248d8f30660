using System.Security.Cryptography;
using Connector.Api.Security;
using Connector.Api.Validation;
using Connector.Core.Users;
using Connector.Storage.OAuth;
using Connector.Storage.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Identity.Client;

namespace Connector.Api.Features.OAuth;

/// <summary>
/// Microsoft 365 delegated sign-in in a pop-up: <c>/users/{id}/oauth/start</c> gives the authorization URL (code +
/// PKCE, state bound to the user), the authority redirects to the bridge's callback page, which posts the code and
/// state to <c>/oauth/callback</c>; the tokens land encrypted in the user's MSAL cache and the user becomes active.
/// </summary>
public static class OAuthEndpoints
{
    public static RouteGroupBuilder MapOAuth(this RouteGroupBuilder api)
    {
        api.MapGroup("/users/{crmUserId:int}/oauth").RequireSelfOrAdmin().WithTags("OAuth")
            .MapPost("/start", StartAsync).WithName("StartOAuth")
            .WithSummary("Start a Microsoft 365 sign-in: returns the URL to open in the pop-up.")
            .Validate<OAuthStartRequest>();
        api.MapPost("/oauth/callback", CallbackAsync).WithTags("OAuth").WithName("OAuthCallback")
            .WithSummary("Redeem the authorization code from the sign-in pop-up.")
            .Validate<OAuthCallbackRequest>();
        return api;
    }

    private static async Task<Results<Ok<OAuthStartResponse>, ProblemHttpResult, ValidationProblem>> StartAsync(
        int crmUserId, OAuthStartRequest request, UserStore users, GraphSignInFactory factory, OAuthPendingStore pending, CancellationToken ct)
    {
        if (await users.GetAsync(crmUserId, ct) is not { } user)
            return TypedResults.Problem($"CRM user {crmUserId} has no connector preferences.", statusCode: 404, title: "Not found");
        if (user.Preferences.AuthMethod != AuthMethod.OauthDelegated)
            return TypedResults.Problem($"CRM user {crmUserId} does not sign in with oauthDelegated (authMethod is {user.Preferences.AuthMethod}).",
                statusCode: 409, title: "Not an OAuth user");
        var (signIn, missing) = await factory.CreateAsync(ct);
        if (signIn is null)
            return TypedResults.Problem($"Microsoft 365 sign-in is not configured: setting '{missing}' is missing.", statusCode: 409, title: "Not configured");

        var state = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var (url, verifier) = await signIn.BuildSignInUrlAsync(request.RedirectUri!, state, user.Preferences.Mailbox, ct);
        var expiresAt = await pending.AddAsync(state, crmUserId, request.RedirectUri!, verifier, ct);
        return TypedResults.Ok(new OAuthStartResponse(url.AbsoluteUri, state, expiresAt));
    }

    private static async Task<Results<Ok<OAuthCallbackResponse>, ProblemHttpResult, ValidationProblem, ForbidHttpResult>> CallbackAsync(
        OAuthCallbackRequest request, HttpContext http, UserStore users, GraphSignInFactory factory, OAuthPendingStore pending,
        Connector.Storage.Jobs.JobQueue jobs, ILogger<OAuthCallbackRequest> logger, CancellationToken ct)
    {
        var started = await pending.TakeAsync(request.State!, ct);
        if (started is null) return Invalid("state", "This sign-in is unknown, was already completed or has expired (10 minutes). Start again.");
        if (!http.User.MayActOn(started.CrmUserId)) return TypedResults.Forbid();
        var (signIn, missing) = await factory.CreateAsync(ct);
        if (signIn is null)
            return TypedResults.Problem($"Microsoft 365 sign-in is not configured: setting '{missing}' is missing.", statusCode: 409, title: "Not configured");
        try
        {
            var result = await signIn.RedeemCodeAsync(started.CrmUserId, request.Code!, started.RedirectUri, started.CodeVerifier, ct);
            await users.SetStateAsync(started.CrmUserId, UserState.Active, null, ct);
            // With a public notificationUrl the user's Graph subscription is created now (the job is a no-op otherwise).
            await jobs.EnqueueAsync(GraphNotifications.GraphSubscriptionHandler.Ensure(started.CrmUserId), ct);
            return TypedResults.Ok(new OAuthCallbackResponse(started.CrmUserId, result.Account?.Username, "active"));
        }
        catch (MsalServiceException e)
        {
            // The authority's message explains (expired code, wrong verifier); it never contains a secret.
            logger.LogWarning("OAuth code redemption for CRM user {CrmUserId} failed: {Error}", started.CrmUserId, e.ErrorCode);
            return Invalid("code", $"The sign-in could not be completed: {e.ErrorCode}. Start again.");
        }
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
