using Connector.Storage.Jobs;

namespace Connector.Sync.Engine.Series;

/// <summary>The series job kinds: sync one series in one mailbox; find the series whose records end before the horizon.</summary>
public static class SeriesJobs
{
    public const string SeriesSync = "series.sync";
    public const string SeriesExtend = "series.extend";

    /// <summary>One series in one mailbox; <see cref="MasterId"/> names a series new from Exchange.</summary>
    public sealed record SeriesPayload(int CrmUserId, string Mailbox, string Uid, string? MasterId = null, bool Initial = false);

    public static NewJob Sync(SeriesPayload p) =>
        new(SeriesSync, SyncJobs.Serialize(p), OrderingKey: Key($"series:{p.Uid}"), DedupeKey: Key($"series:{p.Mailbox}:{p.Uid}"));

    // Keys are stored in 255 characters: long ones are hashed.
    private static string Key(string key) => key.Length <= 200 ? key
        : key[..100] + "#" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    /// <summary>One waiting at a time.</summary>
    public static NewJob Extend() => new(SeriesExtend, "{}", OrderingKey: SeriesExtend, DedupeKey: SeriesExtend);
}
