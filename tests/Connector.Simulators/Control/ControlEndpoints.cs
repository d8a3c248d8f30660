using System.Security.Cryptography.X509Certificates;
using Connector.Simulators.Graph.Auth;
using Connector.Simulators.Graph.Notifications;
using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Control;

public sealed record CreateMailboxRequest(string? Address, string? DisplayName, string? Password);

/// <summary><c>POST /_sim/apps</c>: an app registration. <c>CertificatePem</c> (optional) enables certificate
/// client assertions; <c>AccessTokenLifetimeSeconds</c> (optional, default 3600) lets tests force refreshes.</summary>
public sealed record CreateAppRequest(string? TenantId, string? ClientId, string? ClientSecret, string? CertificatePem = null,
    int? AccessTokenLifetimeSeconds = null);

public sealed record LifecycleRequest(string? LifecycleEvent);

/// <summary>The simulator's control surface under <c>/_sim</c>: set-up, fault injection, read-only dumps.</summary>
public static class ControlEndpoints
{
    public static void MapSimulatorControl(this IEndpointRouteBuilder app)
    {
        var sim = app.MapGroup("/_sim");

        sim.MapPost("/mailboxes", (CreateMailboxRequest body, MailboxDirectory mailboxes) =>
        {
            var problems = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(body.Address) || !body.Address.Contains('@')) problems["address"] = ["An email address is required."];
            if (string.IsNullOrWhiteSpace(body.Password)) problems["password"] = ["A password is required."];
            if (problems.Count > 0) return Results.ValidationProblem(problems);
            var mailbox = mailboxes.Add(body.Address!, body.DisplayName ?? body.Address!, body.Password!);
            return Results.Created($"/_sim/mailboxes/{mailbox.Address}", MailboxDump.Summary(mailbox));
        });
        sim.MapGet("/mailboxes", (MailboxDirectory mailboxes) => Results.Ok(mailboxes.All.Select(MailboxDump.Summary)));
        sim.MapGet("/mailboxes/{address}", (string address, MailboxDirectory mailboxes) =>
            mailboxes.Find(address) is { } m ? Results.Json(MailboxDump.Full(m), MailboxDump.JsonOptions) : Results.NotFound());
        // Makes every delta token of the mailbox's folders invalid: the next delta answers 410 syncStateNotFound.
        sim.MapPost("/mailboxes/{address}/invalidate-sync", (string address, MailboxDirectory mailboxes) =>
        {
            if (mailboxes.Find(address) is not { } m) return Results.NotFound();
            foreach (var kind in Enum.GetValues<FolderKind>())
                foreach (var folder in m.Folders(kind)) m.InvalidateSyncStates(folder.Id);
            return Results.NoContent();
        });

        sim.MapPost("/apps", (CreateAppRequest body, OAuthState oauth) =>
        {
            var problems = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(body.TenantId)) problems["tenantId"] = ["A tenant id is required."];
            if (string.IsNullOrWhiteSpace(body.ClientId)) problems["clientId"] = ["A client id is required."];
            if (problems.Count > 0) return Results.ValidationProblem(problems);
            var certificate = body.CertificatePem is { Length: > 0 } pem ? X509Certificate2.CreateFromPem(pem) : null;
            oauth.AddApp(new AppRegistration(body.TenantId!, body.ClientId!, body.ClientSecret, certificate,
                TimeSpan.FromSeconds(body.AccessTokenLifetimeSeconds ?? 3600)));
            return Results.Created($"/_sim/apps/{body.ClientId}", new { body.TenantId, body.ClientId });
        });
        sim.MapPost("/oauth/revoke/{address}", (string address, OAuthState oauth) => Results.Ok(new { revoked = oauth.RevokeUser(address) }));
        sim.MapGet("/oauth/stats", (OAuthState oauth) => Results.Ok(new { refreshGrants = oauth.RefreshGrants }));

        sim.MapPost("/faults", (FaultRequest body, FaultInjector faults) =>
        {
            if (!FaultInjector.Kinds.Contains(body.Kind))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = [$"One of: {string.Join(", ", FaultInjector.Kinds)}."] });
            faults.Add(body);
            return Results.Accepted();
        });
        sim.MapDelete("/faults", (FaultInjector faults) => { faults.Clear(); return Results.NoContent(); });
        sim.MapGet("/faults/fired", (FaultInjector faults) => Results.Ok(faults.Fired.Select(f => new { kind = f.Kind, path = f.Path, at = f.At })));

        sim.MapGet("/subscriptions", (SubscriptionStore subscriptions) => Results.Ok(subscriptions.All()));
        // Sends a lifecycle event (reauthorizationRequired, subscriptionRemoved, missed) for a subscription now.
        sim.MapPost("/subscriptions/{id}/lifecycle", async (string id, LifecycleRequest body, SubscriptionStore subscriptions, NotificationSender sender) =>
        {
            if (body.LifecycleEvent is not ("reauthorizationRequired" or "subscriptionRemoved" or "missed"))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["lifecycleEvent"] = ["One of: reauthorizationRequired, subscriptionRemoved, missed."] });
            if (subscriptions.Find(id) is not { } subscription) return Results.NotFound();
            await sender.SendLifecycleAsync(subscription, body.LifecycleEvent);
            if (body.LifecycleEvent == "subscriptionRemoved") subscriptions.Remove(id);
            return Results.Accepted();
        });
    }
}
