using Connector.Core.Settings;

namespace Connector.Core.Sync;

/// <summary>
/// The settings and moment a plan is made under. <see cref="InitialSync"/> marks user initialisation and catch-up
/// pushes of existing records: they never send invitations.
/// </summary>
public sealed record SyncPolicy(
    ConflictPolicy Conflicts,
    FeatureSet Features,
    DateTimeOffset Now,
    bool InitialSync = false)
{
    public static SyncPolicy Default(DateTimeOffset now) => new(ConflictPolicy.NewestWins, FeatureSet.All, now);
}
