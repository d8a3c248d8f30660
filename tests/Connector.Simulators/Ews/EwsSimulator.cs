using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Connector.Simulators.Mailboxes;
using static Connector.Simulators.Ews.EwsXml;

namespace Connector.Simulators.Ews;

/// <summary>One EWS request as the simulator saw it: operation and routing headers (tests check affinity with it).</summary>
public sealed record EwsRequestRecord(string Operation, string User, string? AnchorMailbox, string? PreferServerAffinity, string? BackEndCookie);

/// <summary>Every EWS request the simulator has answered (kept for assertions).</summary>
public sealed class EwsRequestLog
{
    private readonly ConcurrentQueue<EwsRequestRecord> _records = new();
    public void Add(EwsRequestRecord record) => _records.Enqueue(record);
    public IReadOnlyList<EwsRequestRecord> All => _records.ToArray();
}

/// <summary>The simulated EWS endpoint <c>/EWS/Exchange.asmx</c> over the shared mailboxes.</summary>
public static class EwsSimulator
{
    private static readonly string[] Versions2010 = ["Exchange2007", "Exchange2007_SP1", "Exchange2010", "Exchange2010_SP1", "Exchange2010_SP2"];

    public static IServiceCollection AddEwsSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(EwsSimulatorOptions.FromConfiguration(configuration));
        services.AddSingleton<EwsFaults>();
        services.AddSingleton<EwsSubscriptions>();
        services.AddSingleton<EwsRequestLog>();
        services.AddSingleton<EwsStreamingOperations>();
        return services;
    }

    public static WebApplication MapEwsSimulator(this WebApplication app)
    {
        var directory = app.Services.GetRequiredService<MailboxDirectory>();
        var options = app.Services.GetRequiredService<EwsSimulatorOptions>();
        var faults = app.Services.GetRequiredService<EwsFaults>();
        var streaming = app.Services.GetRequiredService<EwsStreamingOperations>();
        var log = app.Services.GetRequiredService<EwsRequestLog>();
        NtlmUserFile.Track(directory, options);
        streaming.Attach();

        app.MapPost("/EWS/Exchange.asmx", async (HttpContext http) =>
        {
            var user = await EwsAuthentication.AuthenticateAsync(http, directory);
            if (user is null) return;
            await HandleAsync(http, user, directory, options, faults, streaming, log);
        }).ExcludeFromDescription();

        // For benchmarks: EWS requests answered so far, by operation (SyncFolderItems, GetItem, …); callers take differences.
        app.MapGet("/_sim/ews/requests", () => TypedResults.Ok(new SortedDictionary<string, long>(
            log.All.GroupBy(r => r.Operation).ToDictionary(g => g.Key, g => (long)g.Count()), StringComparer.Ordinal))).ExcludeFromDescription();

        // EWS faults share the simulator's one fault endpoint: POST /_sim/faults with an EWS kind is taken here,
        // every other kind goes on to the generic fault injector; DELETE /_sim/faults clears both.
        app.Use(async (http, next) =>
        {
            if (http.Request.Path == "/_sim/faults")
            {
                if (HttpMethods.IsDelete(http.Request.Method)) faults.Clear();
                else if (HttpMethods.IsPost(http.Request.Method) && await ReadEwsFaultAsync(http) is { } fault)
                {
                    faults.Add(fault);
                    http.Response.StatusCode = StatusCodes.Status204NoContent;
                    return;
                }
            }
            await next();
        });
        return app;
    }

    private static async Task HandleAsync(HttpContext http, Mailbox user, MailboxDirectory directory, EwsSimulatorOptions options,
        EwsFaults faults, EwsStreamingOperations streaming, EwsRequestLog log)
    {
        var version = options.ServerVersion;
        XDocument document;
        try
        {
            document = await XDocument.LoadAsync(http.Request.Body, LoadOptions.None, http.RequestAborted);
        }
        catch (XmlException e)
        {
            await WriteFaultAsync(http, Fault("ErrorSchemaValidation", "The request is not well-formed XML: " + e.Message));
            return;
        }
        var requested = (string?)document.Root?.Element(Soap + "Header")?.Element(T + "RequestServerVersion")?.Attribute("Version") ?? "Exchange2013_SP1";
        if (version == SimulatedVersion.Exchange2010_SP2 && !Versions2010.Contains(requested))
        {
            await WriteFaultAsync(http, Fault("ErrorInvalidServerVersion", "The specified server version is invalid."));
            return;
        }
        // Exchange 2010 SP2's schema has no IsOrganizer: asking for it is a schema error there.
        if (version == SimulatedVersion.Exchange2010_SP2 && document.Descendants(T + "FieldURI").Any(f => (string?)f.Attribute("FieldURI") == "calendar:IsOrganizer"))
        {
            await WriteFaultAsync(http, Fault("ErrorSchemaValidation", "The 'FieldURI' attribute is invalid - The value 'calendar:IsOrganizer' is invalid according to its datatype."));
            return;
        }
        var operation = document.Root?.Element(Soap + "Body")?.Elements().FirstOrDefault();
        if (operation is null)
        {
            await WriteFaultAsync(http, Fault("ErrorSchemaValidation", "The SOAP body is empty."));
            return;
        }
        var name = operation.Name.LocalName;
        var impersonating = (string?)document.Root?.Element(Soap + "Header")?.Element(T + "ExchangeImpersonation")?.Element(T + "ConnectingSID")?.Elements().FirstOrDefault();
        log.Add(new EwsRequestRecord(name, impersonating ?? user.Address, http.Request.Headers["X-AnchorMailbox"].FirstOrDefault(),
            http.Request.Headers["X-PreferServerAffinity"].FirstOrDefault(), BackEndCookie(http)));

        if (faults.TakeRequestFault() is { } fault)
        {
            if (fault.Kind == "Http503")
            {
                http.Response.StatusCode = 503;
                http.Response.Headers.RetryAfter = ((fault.BackOffMilliseconds ?? 1000) / 1000).ToString();
                return;
            }
            await WriteFaultAsync(http, Fault(fault.Kind, fault.Kind == "ErrorServerBusy"
                ? "The server cannot service this request right now. Try again later."
                : "Too many concurrent connections.", fault.Kind == "ErrorServerBusy" ? fault.BackOffMilliseconds ?? 500 : null));
            return;
        }

        // ExchangeImpersonation: the signed-in account acts as another mailbox (no impersonation rights are modelled).
        if (document.Root?.Element(Soap + "Header")?.Element(T + "ExchangeImpersonation")?.Element(T + "ConnectingSID") is { } sid)
        {
            var address = sid.Text("SmtpAddress") ?? sid.Text("PrimarySmtpAddress") ?? sid.Text("PrincipalName");
            if (address is null || directory.Find(address) is not { } impersonated)
            {
                await WriteFaultAsync(http, Fault("ErrorImpersonateUserDenied", $"The account does not have permission to impersonate '{address}'."));
                return;
            }
            user = impersonated;
        }
        var ctx = new EwsRequestContext(user, directory, version, http);
        try
        {
            if (name == "GetStreamingEvents")
            {
                await streaming.GetStreamingEventsAsync(ctx, operation);
                return;
            }
            var response = name switch
            {
                "CreateItem" => EwsItemOperations.CreateItem(ctx, operation),
                "GetItem" => EwsItemOperations.GetItem(ctx, operation),
                "UpdateItem" => EwsItemOperations.UpdateItem(ctx, operation),
                "DeleteItem" => EwsItemOperations.DeleteItem(ctx, operation),
                "SyncFolderItems" => EwsSyncOperations.SyncFolderItems(ctx, operation),
                "FindItem" => EwsFindOperations.FindItem(ctx, operation),
                "GetFolder" => EwsFolderOperations.GetFolder(ctx, operation),
                "FindFolder" => EwsFolderOperations.FindFolder(ctx, operation),
                "CreateFolder" => EwsFolderOperations.CreateFolder(ctx, operation),
                "Subscribe" => streaming.Subscribe(ctx, operation),
                "Unsubscribe" => streaming.Unsubscribe(operation),
                "GetUserAvailabilityRequest" => EwsAvailabilityOperations.GetUserAvailability(ctx, operation),
                _ => throw new EwsSimError("ErrorInvalidRequest", $"The simulator does not implement {name}."),
            };
            http.Response.ContentType = "text/xml; charset=utf-8";
            await http.Response.WriteAsync(Envelope(response, version).ToString(SaveOptions.DisableFormatting), Encoding.UTF8);
        }
        catch (EwsSimError e) when (!http.Response.HasStarted)
        {
            await WriteFaultAsync(http, Fault(e.Code, e.Message));
        }
        catch (Exception e) when (e is NullReferenceException or InvalidCastException or FormatException && !http.Response.HasStarted)
        {
            // A request missing a required element: Exchange answers a schema validation fault.
            await WriteFaultAsync(http, Fault("ErrorSchemaValidation", $"The request failed schema validation ({e.GetType().Name})."));
        }
    }

    private static async Task<EwsFault?> ReadEwsFaultAsync(HttpContext http)
    {
        http.Request.EnableBuffering();
        try
        {
            var fault = await JsonSerializer.DeserializeAsync<EwsFault>(http.Request.Body, JsonSerializerOptions.Web, http.RequestAborted);
            return fault is not null && EwsFaults.Kinds.Contains(fault.Kind) ? fault : null;
        }
        catch (JsonException) { return null; }
        finally { http.Request.Body.Position = 0; }
    }

    private static string? BackEndCookie(HttpContext http)
    {
        var cookie = http.Request.Cookies["X-BackEndOverrideCookie"];
        return string.IsNullOrEmpty(cookie) ? null : cookie;
    }

    private static async Task WriteFaultAsync(HttpContext http, XElement fault)
    {
        http.Response.StatusCode = 500;
        http.Response.ContentType = "text/xml; charset=utf-8";
        await http.Response.WriteAsync(fault.ToString(SaveOptions.DisableFormatting), Encoding.UTF8);
    }
}
