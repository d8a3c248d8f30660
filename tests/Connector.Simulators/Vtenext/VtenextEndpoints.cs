using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;

namespace Connector.Simulators.Vtenext;

/// <summary>vtenext's <c>/webservice.php</c> (API 0.22) and the control endpoints under <c>/_sim/crm</c>.</summary>
public static class VtenextEndpoints
{
    private static readonly string[] PostOperations = ["login", "logout", "create", "update", "revise", "delete", "extendsession"];
    private static readonly string[] PreLogin = ["getchallenge", "login"];

    public sealed class Stats
    {
        public ConcurrentDictionary<string, int> Operations { get; } = new();
    }

    public static WebApplication MapVtenext(this WebApplication app)
    {
        var options = app.Configuration.GetSection(VtenextSimulatorOptions.Section).Get<VtenextSimulatorOptions>() ?? new VtenextSimulatorOptions();
        var db = new VtenextDatabase(options);
        var sessions = new Sessions(options, TimeProvider.System);
        var stats = new Stats();

        app.MapMethods("/webservice.php", ["GET", "POST"], (HttpContext context) => HandleAsync(context, db, sessions, stats));

        var control = app.MapGroup("/_sim/crm");
        control.MapPost("/users", (CrmUserRequest request) => CreateUserAsync(db, request));
        control.MapPost("/groups", (CrmGroupRequest request) => CreateGroupAsync(db, request));
        control.MapPost("/sessions/expire", () => TypedResults.Ok(new { expired = sessions.ExpireAll() }));
        control.MapGet("/stats", () => TypedResults.Ok(stats.Operations.ToDictionary()));
        return app;
    }

    /// <param name="DateFormat">optional: dd-mm-yyyy (vtenext's default), mm-dd-yyyy or yyyy-mm-dd</param>
    public sealed record CrmUserRequest(string UserName, string? Email, string AccessKey, bool IsAdmin, string? TimeZone, string? DateFormat = null);

    private static readonly string[] DateFormats = ["dd-mm-yyyy", "mm-dd-yyyy", "yyyy-mm-dd"];

    public sealed record CrmGroupRequest(string GroupName, int[] MemberUserIds);

    /// <summary>A group; its id comes from the users' sequence, as in vtenext, so an owner id is a user or a group.</summary>
    private static async Task<IResult> CreateGroupAsync(VtenextDatabase db, CrmGroupRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.GroupName))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["groupName"] = ["groupName is required."] });
        await using var connection = await db.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var id = await VtenextDatabase.NextIdAsync(connection, tx, "vte_users_seq");
        await connection.ExecuteAsync("INSERT INTO vte_groups (groupid, groupname) VALUES (@id, @GroupName)", new { id, request.GroupName }, tx);
        foreach (var userId in request.MemberUserIds ?? [])
            await connection.ExecuteAsync("INSERT INTO vte_users2group (groupid, userid) VALUES (@id, @userId)", new { id, userId }, tx);
        await tx.CommitAsync();
        var prefix = await connection.ExecuteScalarAsync<int>("SELECT id FROM vte_ws_entity WHERE name = 'Groups'");
        return TypedResults.Ok(new { id, wsId = $"{prefix}x{id}" });
    }

    private static async Task<IResult> CreateUserAsync(VtenextDatabase db, CrmUserRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrWhiteSpace(request.AccessKey))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userName"] = ["userName and accessKey are required."] });
        if (request.TimeZone is { } tz && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["timeZone"] = [$"Unknown time zone '{tz}'."] });
        if (request.DateFormat is { } df && !DateFormats.Contains(df))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["dateFormat"] = ["dateFormat must be dd-mm-yyyy, mm-dd-yyyy or yyyy-mm-dd."] });
        await using var connection = await db.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var id = await VtenextDatabase.NextIdAsync(connection, tx, "vte_users_seq");
        await connection.ExecuteAsync("""
            INSERT INTO vte_users (id, user_name, last_name, email1, is_admin, status, user_timezone, accesskey, date_format)
            VALUES (@id, @UserName, @UserName, @Email, @admin, 'Active', @tz, @AccessKey, @dateFormat)
            """, new { id, request.UserName, request.Email, admin = request.IsAdmin ? "on" : "off", tz = request.TimeZone ?? db.Options.ServerTimeZone,
                request.AccessKey, dateFormat = request.DateFormat ?? "dd-mm-yyyy" }, tx);
        await tx.CommitAsync();
        var prefix = await connection.ExecuteScalarAsync<int>("SELECT id FROM vte_ws_entity WHERE name = 'Users'");
        return TypedResults.Ok(new { id, wsId = $"{prefix}x{id}" });
    }

    private static async Task HandleAsync(HttpContext context, VtenextDatabase db, Sessions sessions, Stats stats)
    {
        var request = context.Request;
        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        var operation = (request.Query["operation"].FirstOrDefault() ?? form?["operation"].FirstOrDefault() ?? "").ToLowerInvariant();
        stats.Operations.AddOrUpdate(operation, 1, (_, n) => n + 1);
        object? result;
        try
        {
            // vtenext reads a POST operation's parameters from the body only, a GET operation's from the URL only.
            var isPost = PostOperations.Contains(operation);
            if (isPost != HttpMethods.IsPost(request.Method))
                throw new WebserviceException("ACCESS_DENIED", "Permission to perform the operation is denied");
            string? Param(string name) => isPost ? form?[name].FirstOrDefault() : request.Query[name].FirstOrDefault();
            string Required(string name) => Param(name) is { Length: > 0 } v ? v : throw new WebserviceException("INVALID_PARAMETER", $"Missing parameter: {name}");

            if (operation == "getchallenge")
            {
                var (token, expires) = sessions.Challenge(Required("username"));
                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                result = new { token, serverTime = now, expireTime = expires.ToUnixTimeSeconds() };
            }
            else if (operation == "login")
                result = await LoginAsync(db, sessions, Required("username"), Required("accessKey"));
            else if (PreLogin.Contains(operation) || operation.Length == 0)
                throw new WebserviceException("UNKNOWN_OPERATION", $"Unknown operation requested: {operation}");
            else
            {
                var session = sessions.Resume(Param("sessionName"));
                await using var connection = await db.OpenAsync();
                var user = await LoadUserAsync(db, connection, session.UserId);
                var store = new RecordStore(db, connection, user);
                result = operation switch
                {
                    "logout" => Logout(sessions, Param("sessionName")!),
                    "listtypes" => await ListTypesAsync(store),
                    "describe" => await DescribeAsync(store, Required("elementType")),
                    "retrieve" => await store.RetrieveAsync(Required("id")),
                    "create" => await store.CreateAsync(Required("elementType"), ParseJson(Required("element"))),
                    "revise" or "update" => await store.ReviseAsync(ParseJson(Required("element"))),
                    "delete" => await DeleteAsync(store, Required("id")),
                    "query" => await store.QueryAsync(Vtql.Parse(Required("query"), id => int.TryParse(id.Split('x').Last(), out var n) ? n : null)),
                    _ => throw new WebserviceException("UNKNOWN_OPERATION", $"Unknown operation requested: {operation}"),
                };
            }
        }
        catch (WebserviceException e)
        {
            await context.Response.WriteAsJsonAsync(new { success = false, error = new { code = e.Code, message = e.Message } });
            return;
        }
        catch (MySql.Data.MySqlClient.MySqlException e)
        {
            await context.Response.WriteAsJsonAsync(new { success = false, error = new { code = "DATABASE_QUERY_ERROR", message = e.Message } });
            return;
        }
        await context.Response.WriteAsJsonAsync(new { success = true, result });
    }

    private static async Task<object> LoginAsync(VtenextDatabase db, Sessions sessions, string userName, string accessKey)
    {
        await using var connection = await db.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<(int Id, string? AccessKey, string Status)>(
            "SELECT id, accesskey, status FROM vte_users WHERE user_name = @userName AND deleted = 0", new { userName });
        var tokens = sessions.ValidTokens(userName).ToList();
        if (tokens.Count == 0) throw new WebserviceException("INVALID_AUTH_TOKEN", "Specified token is invalid or expired");
        if (row.Id == 0 || row.Status != "Active" || string.IsNullOrEmpty(row.AccessKey)
            || !tokens.Any(t => Md5(t + row.AccessKey) == accessKey.ToLowerInvariant()))
            throw new WebserviceException("INVALID_USER_CREDENTIALS", "Invalid username or password");
        var user = await LoadUserAsync(db, connection, row.Id);
        var prefix = await connection.ExecuteScalarAsync<int>("SELECT id FROM vte_ws_entity WHERE name = 'Users'");
        var offset = (int)(user.Zone.GetUtcOffset(DateTime.UtcNow) - db.ServerZone.GetUtcOffset(DateTime.UtcNow)).TotalSeconds;
        return new { sessionName = sessions.Start(row.Id), userId = $"{prefix}x{row.Id}", version = "0.22", vteVersion = "20.04", timezone = offset };
    }

    private static async Task<WsUser> LoadUserAsync(VtenextDatabase db, MySql.Data.MySqlClient.MySqlConnection connection, int id)
    {
        var row = await connection.QuerySingleAsync<(int Id, string UserName, string? Email, string IsAdmin, string? Zone, string DateFormat)>(
            "SELECT id, user_name, email1, is_admin, user_timezone, date_format FROM vte_users WHERE id = @id", new { id });
        var zone = row.Zone is { Length: > 0 } z && TimeZoneInfo.TryFindSystemTimeZoneById(z, out var found) ? found : db.ServerZone;
        return new WsUser(row.Id, row.UserName, row.Email, row.IsAdmin == "on", zone, row.DateFormat);
    }

    private static object Logout(Sessions sessions, string sessionName)
    {
        sessions.Logout(sessionName);
        return new { message = "successfull" };
    }

    private static async Task<object> DeleteAsync(RecordStore store, string id)
    {
        await store.DeleteAsync(id);
        return new { status = "successful" };
    }

    private static async Task<object> ListTypesAsync(RecordStore store)
    {
        var prefixes = await store.PrefixesAsync();
        var names = Modules.All.Select(m => m.Name).Where(prefixes.ContainsKey).ToArray();
        return new
        {
            types = names,
            information = names.ToDictionary(n => n, n => new { isEntity = n != "Groups", label = n, singular = n }),
        };
    }

    private static async Task<object> DescribeAsync(RecordStore store, string elementType)
    {
        var module = Modules.Find(elementType) ?? throw new WebserviceException("ACCESS_DENIED", $"Permission to perform the operation on {elementType} is denied");
        var prefixes = await store.PrefixesAsync();
        var fields = module.Fields.Select(f => (object)new
        {
            name = f.Name,
            label = f.Label,
            mandatory = f.Mandatory,
            type = f.RefersTo is { } refs ? (object)new { name = f.Kind == FieldKind.Owner ? "owner" : "reference", refersTo = refs } : new { name = TypeName(f.Kind) },
            nullable = !f.Mandatory,
            editable = f.Editable,
        }).Prepend(new { name = "id", label = $"{module.Label} ID", mandatory = false, type = new { name = "autogenerated" }, nullable = false, editable = false });
        var writable = module != Modules.Users;
        return new
        {
            label = module.Label,
            name = module.Name,
            createable = writable,
            updateable = writable,
            deleteable = writable,
            retrieveable = true,
            fields,
            idPrefix = prefixes[module.Name].ToString(System.Globalization.CultureInfo.InvariantCulture),
            isEntity = true,
            labelFields = module.Fields[0].Name,
        };
    }

    private static string TypeName(FieldKind kind) => kind switch
    {
        FieldKind.Date => "date",
        FieldKind.Time => "time",
        FieldKind.DateTime => "datetime",
        FieldKind.Integer => "integer",
        FieldKind.Boolean => "boolean",
        FieldKind.Email => "email",
        FieldKind.Phone => "phone",
        FieldKind.Picklist => "picklist",
        _ => "string",
    };

    private static JsonElement ParseJson(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new WebserviceException("INVALID_PARAMETER", "element is not valid JSON");
        }
    }

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}
