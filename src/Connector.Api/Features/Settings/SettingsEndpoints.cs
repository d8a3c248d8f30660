using Connector.Api.Features.Sync;
using Connector.Api.Security;
using Connector.Api.Workers;
using Connector.Storage.Jobs;
using Connector.Api.Validation;
using Connector.Core.Settings;
using Connector.Storage.Secrets;
using Connector.Storage.Settings;
using Connector.Storage.Users;
using Connector.Sync.Engine;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Connector.Api.Features.Settings;

/// <summary>What the control panel edits. Admins only.</summary>
public static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettings(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings").WithTags("Settings").RequireAuthorization(SecurityServices.AdminPolicy);

        group.MapGet("/", GetAsync).WithName("GetSettings").WithSummary("Read the connector settings (secrets reported as set/unset).");
        group.MapPut("/", PutAsync).WithName("PutSettings").WithSummary("Replace the connector settings.")
            .Validate<SettingsRequest>();
        return group;
    }

    private static async Task<Ok<SettingsResponse>> GetAsync(SettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(SettingsResponse.From(await store.GetAsync(ct)));

    private static async Task<Ok<SettingsResponse>> PutAsync(SettingsRequest request, SettingsStore store, UserStore users, JobQueue queue, JobSignal signal,
        CancellationToken ct)
    {
        var before = (await store.GetAsync(ct)).Settings;
        var settings = request.ToSettings();
        await store.SaveAsync(settings, SecretUpdate.From(request.ClientSecret), SecretUpdate.From(request.VtenextAccessKey), ct);
        // Mailboxes follow a new contact sync mode (see ContactModeChangeHandler).
        if (settings.ContactSyncMode != before.ContactSyncMode)
        {
            await queue.EnqueueAsync(ContactModeChangeHandler.Job(before.ContactSyncMode, settings.ContactSyncMode), ct);
            signal.Notify();
        }
        // A new, changed or removed notificationUrl: every user's Graph subscription is created, moved or deleted.
        if (settings.NotificationUrl != before.NotificationUrl && (settings.ExchangeKind != ExchangeKind.OnPremises || before.ExchangeKind != ExchangeKind.OnPremises))
        {
            foreach (var account in (await MailboxDirectory.LoadAsync(users, ct)).All)
                await queue.EnqueueAsync(GraphNotifications.GraphSubscriptionHandler.Ensure(account.CrmUserId), ct);
            signal.Notify();
        }
        return TypedResults.Ok(SettingsResponse.From(await store.GetAsync(ct)));
    }
}
