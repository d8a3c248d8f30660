using Connector.Core.Common;
using Connector.Core.Sync;

namespace Connector.Sync.Engine;

/// <summary>
/// How a record sync was started: <see cref="Initial"/> marks user initialisation (no invitations, subject + time
/// matching allowed). <see cref="MatchedCrm"/>: initialisation already found the CRM record for an unlinked item.
/// </summary>
public sealed record SyncTrigger(bool Initial = false, CrmKey? MatchedCrm = null, MatchedBy? MatchedBy = null)
{
    public static SyncTrigger Live { get; } = new();
}

/// <summary>What one record sync did: the writes it made and where the record ended up.</summary>
public sealed record SyncOutcome(CrmKey? Crm, int Writes, IReadOnlyList<SyncAction> Actions)
{
    public static SyncOutcome Nothing { get; } = new(null, 0, []);
}
