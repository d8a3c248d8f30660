using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Mailboxes;
using Connector.Core.Sync;
using Connector.Sync.Ports;

namespace Connector.Api.Features.Sync;

/// <summary>Stands in for a port no adapter registered: every use fails with a message an admin can act on.</summary>
internal sealed class MissingAdapter : ICrmGateway
{
    private static PermanentSyncException Missing(string side) =>
        new($"No {side} adapter is registered in this build of the connector.");

    public Task<CrmRead> ReadAsync(CrmKey key, CancellationToken ct) => throw Missing("CRM");
    public Task<CrmRecord> CreateAsync(ISyncEntity entity, Owner owner, string? iCalUId, CancellationToken ct) => throw Missing("CRM");
    public Task<CrmRecord> UpdateAsync(CrmKey key, ISyncEntity entity, CancellationToken ct) => throw Missing("CRM");
    public Task DeleteAsync(CrmKey key, CancellationToken ct) => throw Missing("CRM");
    public Task<IReadOnlyList<CrmRecord>> FindByICalUIdAsync(string iCalUId, CancellationToken ct) => throw Missing("CRM");
    public Task RecordResponseAsync(CrmKey key, string attendeeEmail, AttendeeResponse response, CancellationToken ct) => throw Missing("CRM");
    public IAsyncEnumerable<CrmRecord> ListForUserAsync(RecordKind kind, int crmUserId, DateTimeOffset from, DateTimeOffset to, bool visibleContacts,
        CancellationToken ct) => throw Missing("CRM");
    public Task<IReadOnlyList<CrmUser>> ListUsersAsync(CancellationToken ct) => throw Missing("CRM");
}
