using Connector.Api.Features.CrmChanges;
using Connector.Storage.Settings;
using Connector.Vtenext.Mapping;
using Connector.Vtenext.Webservice;
using Microsoft.Extensions.Options;

namespace Connector.Api.Features.Vtenext;

/// <summary>A ready webservice client and the mapper for its clocks (server zone, integration user's zone).</summary>
public sealed record VtenextConnection(VtenextClient Client, VtenextMapper Mapper);

/// <summary>
/// Builds the vtenext connection from the stored settings (vtenextUrl, vtenextUser, the encrypted access key) and
/// keeps it while they stay the same, so the session is reused; changed settings give a new client.
/// </summary>
public sealed class VtenextConnections(SettingsStore settings, IOptions<CrmIntakeOptions> options, ILogger<VtenextConnections> logger) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly SemaphoreSlim _lock = new(1, 1);
    private (string Url, string User, string Key, VtenextConnection Connection)? _current;

    /// <summary>The connection, or an <see cref="InvalidOperationException"/> saying which setting is missing.</summary>
    public async Task<VtenextConnection> GetAsync(CancellationToken ct = default)
    {
        var stored = (await settings.GetAsync(ct)).Settings;
        var key = await settings.GetVtenextAccessKeyAsync(ct);
        if (string.IsNullOrWhiteSpace(stored.VtenextUrl) || string.IsNullOrWhiteSpace(stored.VtenextUser) || string.IsNullOrEmpty(key))
            throw new InvalidOperationException("vtenext is not configured: set vtenextUrl, vtenextUser and vtenextAccessKey in the settings.");
        await _lock.WaitAsync(ct);
        try
        {
            if (_current is { } c && c.Url == stored.VtenextUrl && c.User == stored.VtenextUser && c.Key == key) return c.Connection;
            var client = new VtenextClient(_http, new VtenextClientOptions(new Uri(stored.VtenextUrl), stored.VtenextUser, key));
            var user = await client.RetrieveAsync((await client.SessionAsync(ct)).UserId, ct);
            var zones = VtenextZones.FromIds(options.Value.VtenextServerTimeZone, await client.IntegrationUserTimeZoneAsync(ct));
            var dateFormat = user["date_format"] is { Length: > 0 } f ? f : "yyyy-mm-dd";
            if (zones.User.Id != zones.Server.Id)
                logger.LogInformation("vtenext integration user {User} lives in {UserZone}, the server in {ServerZone}: webservice dates are converted between them",
                    stored.VtenextUser, zones.User.Id, zones.Server.Id);
            var connection = new VtenextConnection(client, new VtenextMapper(zones, dateFormat));
            _current = (stored.VtenextUrl, stored.VtenextUser, key, connection);
            return connection;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _http.Dispose();
}
