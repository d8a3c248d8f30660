using Connector.Core.Settings;

namespace Connector.Core.Sync;

/// <summary>The reason logged for a conflict (both sides changed) resolved by the admin's conflict policy.</summary>
public static class ConflictReasons
{
    public static SyncReason Of(ConflictPolicy policy) => policy switch
    {
        ConflictPolicy.CrmWins => SyncReason.ConflictCrmWins,
        ConflictPolicy.ExchangeWins => SyncReason.ConflictExchangeWins,
        _ => SyncReason.ConflictNewestWins,
    };
}
