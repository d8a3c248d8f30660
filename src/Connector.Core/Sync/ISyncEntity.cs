using Connector.Core.Common;

namespace Connector.Core.Sync;

/// <summary>An event, task or contact as the planner sees it: a kind and a content fingerprint.</summary>
public interface ISyncEntity
{
    RecordKind Kind { get; }

    /// <summary>Writes every field both sides carry, normalised, so equal content gives an equal fingerprint.</summary>
    void WriteContent(FingerprintWriter writer);
}
