using Connector.Storage.Jobs;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Connector.Core.Settings;
using Connector.Core.Users;
using Connector.Exchange.Common.Tls;
using Connector.Exchange.Ews;
using Connector.Exchange.Ews.Streaming;
using Connector.Exchange.Ews.Sync;
using Connector.Exchange.Ews.Transport;
using Connector.Storage.Settings;
using Connector.Storage.Users;
using Connector.Sync.Engine;
using Connector.Sync.Ports;
using Microsoft.Extensions.Options;

namespace Connector.Api.Features.Sync;

public static class EwsSyncServices
{
    /// <summary>
    /// Exchange on premises for the engine: the EWS mailbox gateway (keyed "ews", picked by
    /// <see cref="ExchangeGatewaySelector"/> when <c>exchangeKind = onPremises</c>) and a change-channel factory that
    /// streams over EWS on premises and polls Graph's delta otherwise. Registered before the engine's defaults.
    /// </summary>
    public static IServiceCollection AddEwsSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new EwsConnections(sp.GetRequiredService<SettingsStore>(), sp.GetRequiredService<UserStore>(),
            ExtraCaTrust.FromPemFile(configuration[ExtraCaTrust.ConfigurationKey])));
        services.AddKeyedSingleton<IExchangeGateway>(ExchangeGatewaySelector.EwsKey, (sp, _) =>
        {
            var connections = sp.GetRequiredService<EwsConnections>();
            return new EwsExchangeGateway((account, ct) => connections.ClientAsync(account, ct));
        });
        services.AddSingleton(sp =>
        {
            var connections = sp.GetRequiredService<EwsConnections>();
            var heartbeat = configuration.GetValue<double?>("Connector:Ews:HeartbeatSeconds");
            return new EwsChangeChannels((account, ct) => connections.ChannelConnectionAsync(account, ct),
                heartbeat is { } seconds ? new StreamingOptions { Heartbeat = TimeSpan.FromSeconds(seconds) } : null);
        });
        services.AddSingleton<IChangeChannelFactory>(sp => new ChannelsByExchangeKind(sp.GetRequiredService<SettingsStore>(),
            sp.GetRequiredService<EwsChangeChannels>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<SyncOptions>>().Value.PollSeconds), sp.GetRequiredService<JobQueue>()));
        return services;
    }

    /// <summary>
    /// EWS streaming on premises; delta polling for Microsoft 365, plus Graph change notifications when settings carry a
    /// <c>notificationUrl</c>: a channel that starts makes sure its user has a subscription (whatever the sign-in:
    /// delegated or application permissions; after a restart too), whose notifications queue their own catch-ups.
    /// </summary>
    private sealed class ChannelsByExchangeKind(SettingsStore settings, EwsChangeChannels ews, TimeSpan pollInterval, JobQueue jobs) : IChangeChannelFactory
    {
        public IChangeChannel Create(MailboxAccount account) => new Deferred(settings, ews, pollInterval, jobs, account);

        private sealed class Deferred(SettingsStore settings, EwsChangeChannels ews, TimeSpan pollInterval, JobQueue jobs, MailboxAccount account) : IChangeChannel
        {
            public async Task RunAsync(Func<SyncFolder, CancellationToken, Task> onChanges, CancellationToken ct)
            {
                var current = (await settings.GetAsync(ct)).Settings;
                var kind = current.ExchangeKind;
                if (kind != ExchangeKind.OnPremises && !string.IsNullOrEmpty(current.NotificationUrl))
                    await jobs.EnqueueAsync(GraphNotifications.GraphSubscriptionHandler.Ensure(account.CrmUserId), ct);
                await using IChangeChannel channel = kind == ExchangeKind.OnPremises ? ews.Create(account) : new PollingChangeChannel(pollInterval);
                await channel.RunAsync(onChanges, ct);
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// EWS clients per user, from the stored settings (EWS URL) and the user's preferences (NTLM or Basic, user name, the
/// encrypted password), trusting the system's CAs plus <c>Connector:ExtraCaBundlePath</c>. A client is reused while the
/// sign-in is unchanged (NTLM authenticates the connection; reuse avoids a handshake per call).
/// </summary>
public sealed class EwsConnections(SettingsStore settings, UserStore users, ExtraCaTrust trust)
{
    private readonly ConcurrentDictionary<int, (string Key, EwsClient Client)> _clients = new();

    public async Task<EwsClient> ClientAsync(MailboxAccount account, CancellationToken ct)
    {
        var (key, options) = await OptionsAsync(account, ct);
        if (_clients.TryGetValue(account.CrmUserId, out var cached) && cached.Key == key) return cached.Client;
        var client = new EwsClient(options);
        _clients[account.CrmUserId] = (key, client);
        // The replaced client (old password) may still be in use by a running job: it is left to the collector.
        return client;
    }

    public async Task<EwsChannelConnection> ChannelConnectionAsync(MailboxAccount account, CancellationToken ct)
    {
        var (key, options) = await OptionsAsync(account, ct);
        return new EwsChannelConnection(key, () => new EwsClient(options));
    }

    private async Task<(string Key, EwsConnectionOptions Options)> OptionsAsync(MailboxAccount account, CancellationToken ct)
    {
        var configured = (await settings.GetAsync(ct)).Settings;
        if (configured.ExchangeKind != ExchangeKind.OnPremises || string.IsNullOrWhiteSpace(configured.EwsUrl))
            throw new InvalidOperationException("Exchange on premises is not configured (exchangeKind onPremises with an ewsUrl).");
        var user = await users.GetAsync(account.CrmUserId, ct)
            ?? throw new InvalidOperationException($"CRM user {account.CrmUserId} has no connector preferences.");
        // A password Exchange refused is not tried again (repeated failures can lock the account): the user enters one anew.
        if (user.State == UserState.NeedsSignIn)
            throw new NeedsSignInException(user.StateReason ?? "Exchange refused the sign-in; enter the credentials again.") { CrmUserId = account.CrmUserId };
        var prefs = user.Preferences;
        if (!UserPreferences.UsesPassword(prefs.AuthMethod) || string.IsNullOrWhiteSpace(prefs.Username))
            throw new InvalidOperationException($"CRM user {account.CrmUserId} needs NTLM or Basic with a user name for Exchange on premises.");
        var password = await users.GetPasswordAsync(account.CrmUserId, ct)
            ?? throw new InvalidOperationException($"CRM user {account.CrmUserId} has no Exchange password stored.");
        var kind = prefs.AuthMethod == AuthMethod.Ntlm ? EwsAuthKind.Ntlm : EwsAuthKind.Basic;
        // NTLM names come as DOMAIN\user (or user@domain, which NTLM accepts as it is).
        var (domain, name) = prefs.Username.Split('\\', 2) is [var d, var n] ? (d, n) : ((string?)null, prefs.Username);
        var options = new EwsConnectionOptions
        {
            Endpoint = new Uri(configured.EwsUrl),
            Credentials = new EwsCredentials(kind, name, password, domain),
            Trust = trust,
        };
        options.Validate();
        // The key names the sign-in without holding the password (a hash of it), so a changed password opens anew.
        var secret = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(password)))[..16];
        return ($"{options.Endpoint}|{kind}|{domain}\\{name}|{secret}", options);
    }
}
