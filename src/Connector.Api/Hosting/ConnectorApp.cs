using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Connector.Api.Errors;
using Connector.Api.Features.CrmChanges;
using Connector.Api.Features.Errors;
using Connector.Api.Features.GraphNotifications;
using Connector.Api.Features.Health;
using Connector.Api.Features.OAuth;
using Connector.Api.Features.Settings;
using Connector.Api.Features.Sync;
using Connector.Api.Features.Users;
using Connector.Api.OpenApi;
using Connector.Api.Security;
using Connector.Api.Validation;
using Connector.Api.Workers;
using Connector.Storage.Database;
using Connector.Storage.Migrations;
using Connector.Storage.Secrets;
using Connector.Storage.Settings;
using Connector.Storage.Users;
using FluentValidation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Connector.Api.Hosting;

/// <summary>Builds the connector's web host: services, security, validation, endpoints.</summary>
public static class ConnectorApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var options = builder.Configuration.GetSection(ConnectorOptions.Section).Get<ConnectorOptions>() ?? new ConnectorOptions();
        ValidateStartupOptions(builder, options);

        builder.Services.Configure<ConnectorOptions>(builder.Configuration.GetSection(ConnectorOptions.Section));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });

        builder.Services.ConfigureHttpJsonOptions(json => ConfigureJson(json.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();

        builder.Services.AddDataProtection()
            .SetApplicationName("vtenext-exchange-connector")
            .PersistKeysToFileSystem(KeyRingDirectory(options.DataProtectionKeysPath));

        builder.Services.AddSingleton(new DbConnectionFactory(builder.Configuration.GetConnectionString("Connector")!));
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton<MigrationStatus>();
        builder.Services.AddHostedService<MigrationHostedService>();
        builder.Services.AddSingleton<SecretProtector>();
        builder.Services.AddSingleton<SettingsStore>();
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddCrmChanges(builder.Configuration);

        builder.Services.AddGraphSignIn(builder.Configuration);
        builder.Services.AddConnectorWorkers();
        builder.Services.AddEwsSync(builder.Configuration); // before the engine: its defaults are TryAdd
        builder.Services.AddSyncEngine(builder.Configuration);
        builder.Services.AddConnectorSecurity();
        foreach (var validator in AssemblyScanner.FindValidatorsInAssemblyContaining<SettingsRequestValidator>())
            builder.Services.AddSingleton(validator.InterfaceType, validator.ValidatorType);
        ValidatorOptions.Global.PropertyNameResolver = CamelCasePropertyNames.Resolve;
        builder.Services.AddConnectorHealthChecks();
        builder.Services.AddConnectorOpenApi();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseConnectorOpenApi();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapConnectorHealth();
        app.MapGraphNotifications();
        var api = app.MapGroup("/api/v1").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapSettings();
        api.MapUsers();
        api.MapOAuth();
        api.MapCrmChanges();
        api.MapErrors();
        api.MapSync();

        app.Lifetime.ApplicationStarted.Register(() => WarnIfNotLoopback(app));
        return app;
    }

    /// <summary>The JSON rules every endpoint shares: camelCase, enums as camelCase strings, unknown fields rejected.</summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }

    private static void ValidateStartupOptions(WebApplicationBuilder builder, ConnectorOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Connector")))
            problems.Add("ConnectionStrings:Connector is not set (environment: ConnectionStrings__Connector).");
        if (options.ApiKey.Length < ConnectorOptions.MinimumApiKeyLength)
            problems.Add($"Connector:ApiKey must be at least {ConnectorOptions.MinimumApiKeyLength} characters (environment: Connector__ApiKey).");
        if (string.IsNullOrWhiteSpace(options.DataProtectionKeysPath))
            problems.Add("Connector:DataProtectionKeysPath is not set: the directory that keeps the key ring encrypting stored secrets.");
        if (problems.Count > 0)
            throw new InvalidOperationException("The connector cannot start:\n  " + string.Join("\n  ", problems));
    }

    // The key ring decrypts every stored secret: only the service account may read it.
    private static DirectoryInfo KeyRingDirectory(string path)
    {
        var directory = Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }

    private static void WarnIfNotLoopback(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            var host = new Uri(address.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0")).Host;
            var loopback = host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
                app.Logger.LogWarning("Listening on {Address}, which is not loopback: the connector is meant to be reached only from the vtenext server.", address);
        }
    }
}
