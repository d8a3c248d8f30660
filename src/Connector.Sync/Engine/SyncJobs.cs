using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Connector.Core.Common;
using Connector.Core.Sync;
using Connector.Storage.Jobs;
using Connector.Sync.Ports;

namespace Connector.Sync.Engine;

/// <summary>
/// The engine's job kinds and payloads. Ordering keys serialise work on one record / item / feed; dedupe keys fold a burst
/// of notices for the same thing into one waiting job.
/// </summary>
public static class SyncJobs
{
    /// <summary>Queued by the CRM intake (<c>CrmChangeStore.JobKind</c>) with each stored notice.</summary>
    public const string CrmChange = "crm.change";
    public const string ExchangeChange = "exchange.change";
    public const string RecordSync = "record.sync";
    public const string ItemSync = "item.sync";
    public const string UserInitialize = "user.initialize";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Sync one CRM record with all its copies.</summary>
    public sealed record RecordPayload(RecordKind Kind, long CrmId, bool Initial = false, long? RunId = null)
    {
        public CrmKey Key => new(Kind, CrmId);
        public string ItemKey => $"crm:{Kind}:{CrmId}";
    }

    /// <summary>Sync one Exchange item (explicitly deleted, or to be read).</summary>
    public sealed record ItemPayload(int CrmUserId, string Mailbox, RecordKind Kind, string ItemId, bool Deleted = false, bool Initial = false,
        long? RunId = null, long? MatchedCrmId = null, MatchedBy? MatchedBy = null)
    {
        public string ItemKey => $"item:{Mailbox}:{ItemId}";
    }

    /// <summary>Read a mailbox folder's changes since its cursor.</summary>
    public sealed record FeedPayload(int CrmUserId, string Mailbox, SyncFolder Folder);

    public static NewJob Record(RecordPayload p) =>
        new(RecordSync, Serialize(p), OrderingKey: Key($"crm:{p.Kind}:{p.CrmId}"), DedupeKey: p.RunId is null ? Key($"rec:{p.Kind}:{p.CrmId}") : null);

    public static NewJob Item(ItemPayload p) =>
        new(ItemSync, Serialize(p), OrderingKey: Key($"item:{p.Mailbox}:{p.ItemId}"), DedupeKey: p.RunId is null ? Key($"itm:{p.Mailbox}:{p.ItemId}") : null);

    /// <summary>The same job the user-init schedule queues (one waiting per user).</summary>
    public static NewJob Initialize(int crmUserId) =>
        new(UserInitialize, $$"""{"crmUserId":{{crmUserId}}}""", OrderingKey: $"user:{crmUserId}", DedupeKey: $"user.initialize:{crmUserId}");

    public static NewJob Feed(FeedPayload p) =>
        new(ExchangeChange, Serialize(p), OrderingKey: Key($"feed:{p.Mailbox}:{p.Folder}"), DedupeKey: Key($"feed:{p.Mailbox}:{p.Folder}"));

    public static string Serialize<T>(T payload) => JsonSerializer.Serialize(payload, Json);

    public static T Deserialize<T>(string payload) => JsonSerializer.Deserialize<T>(payload, Json)
        ?? throw new InvalidOperationException($"Empty {typeof(T).Name} payload.");

    /// <summary>Keys are stored in 255 characters: long ones (Graph/EWS item ids) are hashed.</summary>
    private static string Key(string key) =>
        key.Length <= 200 ? key : key[..100] + "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
