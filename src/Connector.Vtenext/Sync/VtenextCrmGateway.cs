using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Contacts;
using Connector.Core.Mailboxes;
using Connector.Core.Sync;
using Connector.Core.Tasks;
using Connector.Sync.Ports;
using Connector.Vtenext.Database;
using Connector.Vtenext.Mapping;
using Connector.Vtenext.Webservice;

namespace Connector.Vtenext.Sync;

/// <summary>
/// vtenext as the engine's <see cref="ICrmGateway"/>: writes through the webservice as the integration user (so CRM logic
/// runs), invitees and group members read from vtenext's tables (the webservice does not return them; without
/// <c>ConnectionStrings:Vtenext</c> a record has no invitees and group owners are not expanded). Element-id prefixes come
/// from <c>describe</c>. A record that is trashed or gone reads as deleted.
/// </summary>
public sealed partial class VtenextCrmGateway(Func<CancellationToken, Task<(VtenextClient Client, VtenextMapper Mapper)>> connect, VtenextTables? tables)
    : ICrmGateway
{
    private readonly Dictionary<string, int> _prefixes = [];
    private readonly SemaphoreSlim _prefixLock = new(1, 1);

    public Task<CrmRead> ReadAsync(CrmKey key, CancellationToken ct) => Translate(async () =>
    {
        var (client, mapper) = await connect(ct);
        VtenextRecord record;
        try { record = await client.RetrieveAsync(new ElementId(await PrefixAsync(client, Module(key.Kind), ct), (int)key.CrmId), ct); }
        catch (VtenextException e) when (e.Code is "RECORD_NOT_FOUND") { return CrmRead.Missing; }
        return CrmRead.Found(await ToRecordAsync(key.Kind, record, mapper, ValueSource.Retrieve, withInvitees: true, ct));
    });

    public Task<CrmRecord> CreateAsync(ISyncEntity entity, Owner owner, string? iCalUId, CancellationToken ct) => Translate(async () =>
    {
        var (client, mapper) = await connect(ct);
        var ownerId = owner switch
        {
            Owner.User u => new ElementId(await PrefixAsync(client, "Users", ct), u.UserId),
            _ => throw new PermanentSyncException("Records from Exchange are created for the mailbox's user, never for a group."),
        };
        var (module, fields) = entity switch
        {
            CalendarEvent e => (VtenextMapper.EventsModule, mapper.FromEvent(DomainMapping.FromDomain(e) with { OwnerId = ownerId })),
            TaskItem t => (VtenextMapper.TasksModule, mapper.FromTask(DomainMapping.FromDomain(t, mapper.Zones.User) with { OwnerId = ownerId })),
            _ => throw new PermanentSyncException("Contacts go from vtenext to Exchange only: Exchange never creates a CRM contact."),
        };
        var created = await client.CreateAsync(module, fields, ct);
        return await ToRecordAsync(entity.Kind, created, mapper, ValueSource.Retrieve, withInvitees: true, ct);
    });

    public Task<CrmRecord> UpdateAsync(CrmKey key, ISyncEntity entity, CancellationToken ct) => Translate(() => StillThere(key, async () =>
    {
        var (client, mapper) = await connect(ct);
        var id = new ElementId(await PrefixAsync(client, Module(key.Kind), ct), (int)key.CrmId);
        var current = await client.RetrieveAsync(id, ct);
        VtenextRecord revised;
        bool interleaved;
        switch (entity)
        {
            case CalendarEvent e:
            {
                var intended = DomainMapping.FromDomain(e, mapper.ToEvent(current, ValueSource.Retrieve));
                revised = await client.ReviseAsync(id, mapper.FromEvent(intended), ct);
                interleaved = !ConcurrentSaves.Kept(intended, mapper.ToEvent(revised, ValueSource.Retrieve));
                break;
            }
            case TaskItem t:
            {
                var intended = DomainMapping.FromDomain(t, mapper.Zones.User, mapper.ToTask(current, ValueSource.Retrieve));
                revised = await client.ReviseAsync(id, mapper.FromTask(intended), ct);
                interleaved = !ConcurrentSaves.Kept(intended, mapper.ToTask(revised, ValueSource.Retrieve));
                break;
            }
            default:
                throw new PermanentSyncException("Contacts go from vtenext to Exchange only: Exchange never changes a CRM contact.");
        }
        var record = await ToRecordAsync(key.Kind, revised, mapper, ValueSource.Retrieve, withInvitees: true, ct);
        // vtenext answers a revise by reading the record again: a person's save landing in between shows in the answer
        // (or undid ours). Reported as the content we wrote, the engine does not take that save for its own write and
        // syncs it on its next look (the save's notice), instead of linking it as already in step with Exchange.
        return interleaved ? record with { Entity = entity } : record;
    }));

    public Task DeleteAsync(CrmKey key, CancellationToken ct) => Translate(async () =>
    {
        if (key.Kind == RecordKind.Contact) throw new PermanentSyncException("Exchange never deletes a CRM contact.");
        var (client, _) = await connect(ct);
        try { await client.DeleteAsync(new ElementId(await PrefixAsync(client, Module(key.Kind), ct), (int)key.CrmId), ct); }
        catch (VtenextException e) when (e.Code is "RECORD_NOT_FOUND") { }
        return true;
    });

    public Task<IReadOnlyList<CrmRecord>> FindByICalUIdAsync(string iCalUId, CancellationToken ct) => Translate(async () =>
    {
        var (client, mapper) = await connect(ct);
        var found = new List<CrmRecord>();
        foreach (var r in await client.QueryAsync($"SELECT * FROM {VtenextMapper.EventsModule} WHERE ical_uuid = '{Quote(iCalUId)}' LIMIT 10;", ct))
            found.Add(await ToRecordAsync(RecordKind.Event, r, mapper, ValueSource.Query, withInvitees: false, ct));
        return (IReadOnlyList<CrmRecord>)found;
    });

    public Task RecordResponseAsync(CrmKey key, string attendeeEmail, AttendeeResponse response, CancellationToken ct) => Translate(() => StillThere(key, async () =>
    {
        var (client, mapper) = await connect(ct);
        var id = new ElementId(await PrefixAsync(client, VtenextMapper.EventsModule, ct), (int)key.CrmId);
        var current = mapper.ToEvent(await client.RetrieveAsync(id, ct), ValueSource.Retrieve, await InviteesAsync(id.CrmId, ct));
        var participation = response switch
        {
            AttendeeResponse.Accepted => CrmParticipation.Accepted,
            AttendeeResponse.Declined => CrmParticipation.Declined,
            _ => CrmParticipation.NoAnswer,
        };
        var attendees = current.Attendees.Select(a => string.Equals(a.Email, attendeeEmail, StringComparison.OrdinalIgnoreCase)
            ? a with { Participation = participation } : a).ToList();
        // Only the invitees are revised: the rest of the organizer's event is not touched.
        await client.ReviseAsync(id, new Dictionary<string, object?>
        {
            ["invitees"] = attendees.Select(a => new Dictionary<string, object> { ["email"] = a.Email, ["partecipation"] = (int)a.Participation }).ToArray(),
        }, ct);
        return true;
    }));

    public async IAsyncEnumerable<CrmRecord> ListForUserAsync(RecordKind kind, int crmUserId, DateTimeOffset from, DateTimeOffset to,
        bool visibleContacts, [EnumeratorCancellation] CancellationToken ct)
    {
        var (client, mapper) = await connect(ct);
        // Who sees what is read from vtenext's sharing tables; without them only owned contacts are safe to push (the
        // integration user is an admin and would list every contact).
        visibleContacts &= tables is not null;
        var owner = new ElementId(await PrefixAsync(client, "Users", ct), crmUserId);
        var server = mapper.Zones.Server;
        string Day(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, server).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var query = kind switch
        {
            RecordKind.Event => $"SELECT * FROM {VtenextMapper.EventsModule} WHERE assigned_user_id = '{owner}' AND due_date >= '{Day(from)}' AND date_start <= '{Day(to)}'",
            RecordKind.Task => $"SELECT * FROM {VtenextMapper.TasksModule} WHERE assigned_user_id = '{owner}'",
            _ => visibleContacts
                ? $"SELECT * FROM {VtenextMapper.ContactsModule}"
                : $"SELECT * FROM {VtenextMapper.ContactsModule} WHERE assigned_user_id = '{owner}'",
        };
        // The integration user is an admin and sees every contact: vtenext's sharing decides which this user sees.
        var visible = kind == RecordKind.Contact && visibleContacts ? await tables!.ReadContactsVisibleToAsync(crmUserId, ct) : null;
        // Listed by owner: the owner is known, so no per-record owner lookup (lists can be thousands of records).
        await foreach (var record in client.QueryAllAsync(query, ct))
            if (visible is null || visible.Contains(record.Id.CrmId))
                yield return await ToRecordAsync(kind, record, mapper, ValueSource.Query, withInvitees: false, ct,
                kind == RecordKind.Contact && visibleContacts ? null : new Owner.User(crmUserId));
    }

    public Task<IReadOnlyList<int>?> ContactViewersAsync(long contactId, CancellationToken ct) => Translate(async () =>
        tables is null ? null : await tables.ReadContactViewersAsync((int)contactId, ct));

    public Task<IReadOnlyList<CrmUser>> ListUsersAsync(CancellationToken ct) => Translate(async () =>
    {
        var (client, _) = await connect(ct);
        var users = new List<CrmUser>();
        await foreach (var u in client.QueryAllAsync("SELECT * FROM Users", ct))
            if (u["status"] is "" or "Active")
                users.Add(new CrmUser(u.Id.CrmId, u["user_name"], u["email1"] is { Length: > 0 } e ? e : null, []));
        return (IReadOnlyList<CrmUser>)users;
    });

    private async Task<CrmRecord> ToRecordAsync(RecordKind kind, VtenextRecord r, VtenextMapper mapper, ValueSource source, bool withInvitees,
        CancellationToken ct, Owner? knownOwner = null)
    {
        var key = new CrmKey(kind, r.Id.CrmId);
        switch (kind)
        {
            case RecordKind.Event:
            {
                var e = mapper.ToEvent(r, source, withInvitees ? await InviteesAsync(r.Id.CrmId, ct) : null);
                // A record with a repeat type is one occurrence of a CRM series (vtenext keeps one record per occurrence).
                var series = e.RecurringType.Length > 0 && e.ICalUid.Length > 0 ? new CrmOccurrenceOf(e.ICalUid, e.RecurrIdx) : null;
                return new CrmRecord(key, e.ToDomain(IanaOf(mapper.Zones.User)), knownOwner ?? await OwnerAsync(e.OwnerId, ct),
                    e.ModifiedTime ?? DateTimeOffset.UtcNow, NullIfEmpty(e.ICalUid), Series: series);
            }
            case RecordKind.Task:
            {
                var t = mapper.ToTask(r, source);
                return new CrmRecord(key, t.ToDomain(mapper.Zones.User), knownOwner ?? await OwnerAsync(t.OwnerId, ct), t.ModifiedTime ?? DateTimeOffset.UtcNow);
            }
            default:
            {
                var c = mapper.ToContact(r, source);
                return new CrmRecord(key, c.ToDomain(), knownOwner ?? await OwnerAsync(c.OwnerId, ct), c.ModifiedTime ?? DateTimeOffset.UtcNow);
            }
        }
    }

    private async Task<Owner> OwnerAsync(ElementId? owner, CancellationToken ct) =>
        owner is not { } id ? new Owner.User(0) : tables is null ? new Owner.User(id.CrmId) : await tables.ReadOwnerAsync(id.CrmId, ct);

    private async Task<IReadOnlyList<CrmAttendee>> InviteesAsync(int activityId, CancellationToken ct) =>
        tables is null ? [] : await tables.ReadAttendeesAsync(activityId, ct);

    private async Task<int> PrefixAsync(VtenextClient client, string module, CancellationToken ct)
    {
        await _prefixLock.WaitAsync(ct);
        try
        {
            if (!_prefixes.TryGetValue(module, out var prefix))
                _prefixes[module] = prefix = (await client.DescribeAsync(module, ct)).IdPrefix;
            return prefix;
        }
        finally { _prefixLock.Release(); }
    }

    private static string Module(RecordKind kind) => kind switch
    {
        RecordKind.Event => VtenextMapper.EventsModule,
        RecordKind.Task => VtenextMapper.TasksModule,
        _ => VtenextMapper.ContactsModule,
    };

    private static string IanaOf(TimeZoneInfo zone) =>
        zone.HasIanaId ? zone.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : "UTC";

    private static string Quote(string value) => value.Replace("\\", "\\\\").Replace("'", "\\'");

    private static string? NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>
    /// A write to a record the engine read: deleted in vtenext since (before the write's retrieve, or between it and the
    /// revise) makes the plan stale, to be re-read; the deletion is the newer change.
    /// </summary>
    private static async Task<T> StillThere<T>(CrmKey key, Func<Task<T>> write)
    {
        try { return await write(); }
        catch (VtenextException e) when (e.IsNotFound) { throw new StaleChangeKeyException($"{key} was deleted in vtenext meanwhile.", e); }
    }

    private static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        // A database error is mostly a deadlock or a lock wait with a concurrent save: retried (a lasting one ends up
        // among the failed items once the job's attempts are spent).
        catch (VtenextException e) when (e.Code is "INTERNAL_SERVER_ERROR" or "DATABASE_QUERY_ERROR" || e.IsSessionError)
        { throw new TransientSyncException(e.Message, null, e); }
        catch (VtenextException e) { throw new PermanentSyncException(e.Message, e); }
        catch (HttpRequestException e) { throw new TransientSyncException(e.Message, null, e); }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException) { throw new TransientSyncException(e.Message, null, e); }
        catch (InvalidOperationException e) when (e.Message.StartsWith("vtenext is not configured", StringComparison.Ordinal))
        { throw new PermanentSyncException(e.Message, e); }
    }
}
