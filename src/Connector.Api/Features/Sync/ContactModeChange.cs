using System.Text.Json;
using Connector.Api.Workers;
using Connector.Core.Common;
using Connector.Core.Settings;
using Connector.Storage.Database;
using Connector.Storage.Jobs;
using Connector.Storage.Users;
using Connector.Sync.Engine;
using Dapper;

namespace Connector.Api.Features.Sync;

/// <summary>
/// <c>contacts.modeChanged</c>, queued when an admin saves another contact sync mode. What a mailbox holds follows the
/// new mode, in Exchange only (the CRM is never touched: contacts go one way):
/// <list type="bullet">
/// <item>narrower (visible → owned): every linked contact is synced again, so the copies in mailboxes of users who no
/// longer get it (they only saw it) are removed from the connector's contact folder, the owners' copies stay;</item>
/// <item>wider (owned → visible, off → on): every enabled user is initialised again, which pushes the contacts the mode
/// now includes (and links the copies already there by their CRM-id stamp);</item>
/// <item>off: nothing is deleted anywhere: the copies stay as they were, no longer updated, and are picked up again
/// (by their stamp) when contact sync is switched back on.</item>
/// </list>
/// </summary>
public sealed class ContactModeChangeHandler(DbConnectionFactory db, UserStore users, JobQueue queue, JobSignal signal) : IJobHandler
{
    public const string JobKind = "contacts.modeChanged";

    public string Kind => JobKind;

    public static NewJob Job(ContactSyncMode from, ContactSyncMode to) =>
        new(JobKind, JsonSerializer.Serialize(new Payload(from, to)), OrderingKey: "contacts.mode");

    public sealed record Payload(ContactSyncMode From, ContactSyncMode To);

    public async Task HandleAsync(Job job, CancellationToken cancellationToken)
    {
        var p = JsonSerializer.Deserialize<Payload>(job.Payload)!;
        if (p.To == ContactSyncMode.Off) return;
        if (Rank(p.To) < Rank(p.From))
        {
            await using var c = await db.OpenAsync(cancellationToken);
            var linked = await c.QueryAsync<long>(new CommandDefinition(
                "SELECT DISTINCT crm_id FROM exc_links WHERE kind = @kind", new { kind = nameof(RecordKind.Contact) }, cancellationToken: cancellationToken));
            foreach (var id in linked)
                await queue.EnqueueAsync(SyncJobs.Record(new SyncJobs.RecordPayload(RecordKind.Contact, id)), cancellationToken);
        }
        else
        {
            foreach (var account in (await MailboxDirectory.LoadAsync(users, cancellationToken)).All)
                await queue.EnqueueAsync(SyncJobs.Initialize(account.CrmUserId), cancellationToken);
        }
        signal.Notify();
    }

    private static int Rank(ContactSyncMode mode) => mode switch
    {
        ContactSyncMode.Off => 0,
        ContactSyncMode.Owned => 1,
        _ => 2,
    };
}
