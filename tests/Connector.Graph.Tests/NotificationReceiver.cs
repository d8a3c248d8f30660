using System.Collections.Concurrent;
using System.Text.Json;
using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Graph.Tests;

/// <summary>A webhook endpoint on loopback, answering Graph's validation handshake and recording notifications.</summary>
public sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NotificationReceiver(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public ConcurrentQueue<string> Validations { get; } = new();
    public ConcurrentQueue<ChangeNotification> Notifications { get; } = new();
    public ConcurrentQueue<ChangeNotification> Lifecycle { get; } = new();

    public static async Task<NotificationReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        NotificationReceiver? self = null;
        foreach (var (path, queue) in new[] { ("/notify", (Func<NotificationReceiver, ConcurrentQueue<ChangeNotification>>)(r => r.Notifications)), ("/lifecycle", r => r.Lifecycle) })
            app.MapPost(path, async (HttpRequest request) =>
            {
                if (ChangeNotifications.ValidationResponse(request.Query["validationToken"]) is { } token)
                {
                    self!.Validations.Enqueue(path);
                    return Results.Text(token, "text/plain");
                }
                var body = await JsonSerializer.DeserializeAsync<ChangeNotificationCollection>(request.Body, GraphJson.Options);
                foreach (var n in body!.Value) queue(self!).Enqueue(n);
                return Results.Accepted();
            });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new NotificationReceiver(app, new Uri(address));
        return self;
    }

    public static async Task<T> WaitFor<T>(ConcurrentQueue<T> queue, Func<T, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (queue.FirstOrDefault(match) is { } found) return found;
            await Task.Delay(25);
        }
        throw new TimeoutException("No matching notification arrived.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
