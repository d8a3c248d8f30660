using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Connector.Vtenext.Webservice;

/// <summary>
/// Client of vtenext's <c>webservice.php</c> (API 0.22) as the integration user. Read operations are GETs with
/// URL parameters, write operations form-encoded POSTs (vtenext reads each only from its own place); every answer is
/// <c>{success, result | error{code, message}}</c>. The session is opened on first use and opened again when vtenext
/// says it expired or idled out, and the call is repeated once.
/// </summary>
public sealed class VtenextClient(HttpClient http, VtenextClientOptions options)
{
    private readonly SemaphoreSlim _loginLock = new(1, 1);
    private readonly Dictionary<string, ModuleDescription> _descriptions = new();
    private VtenextSession? _session;

    public VtenextClientOptions Options => options;

    /// <summary>The current session, logging in when there is none.</summary>
    public async Task<VtenextSession> SessionAsync(CancellationToken ct = default) => _session ?? await LoginAsync(null, ct);

    /// <summary>getchallenge, then login with md5(token + access key).</summary>
    private async Task<VtenextSession> LoginAsync(VtenextSession? stale, CancellationToken ct)
    {
        await _loginLock.WaitAsync(ct);
        try
        {
            // Another caller may have renewed the session while this one waited.
            if (_session is { } current && current != stale) return current;
            var challenge = await SendAsync(HttpMethod.Get, "getchallenge", [new("username", options.UserName)], ct);
            var token = challenge.GetProperty("token").GetString() ?? throw Bad("getchallenge", "no token");
            var key = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(token + options.AccessKey)));
            var login = await SendAsync(HttpMethod.Post, "login", [new("username", options.UserName), new("accessKey", key)], ct);
            var session = new VtenextSession(
                login.GetProperty("sessionName").GetString() ?? throw Bad("login", "no sessionName"),
                ElementId.Parse(login.GetProperty("userId").GetString() ?? ""));
            _session = session;
            return session;
        }
        finally
        {
            _loginLock.Release();
        }
    }

    /// <summary>The integration user's vtenext time zone (<c>user_timezone</c>): the zone retrieve, create and revise speak.</summary>
    public async Task<string> IntegrationUserTimeZoneAsync(CancellationToken ct = default)
    {
        var session = await SessionAsync(ct);
        var user = await RetrieveAsync(session.UserId, ct);
        return user["user_timezone"] is { Length: > 0 } zone
            ? zone
            : throw new VtenextException("BAD_RESPONSE", $"the integration user {options.UserName} has no user_timezone", "retrieve");
    }

    public async Task<ModuleDescription> DescribeAsync(string module, CancellationToken ct = default)
    {
        lock (_descriptions)
            if (_descriptions.TryGetValue(module, out var cached)) return cached;
        var json = await CallAsync(HttpMethod.Get, "describe", [new("elementType", module)], ct);
        var description = new ModuleDescription(
            json.GetProperty("name").GetString()!,
            int.Parse(json.GetProperty("idPrefix").ToString(), CultureInfo.InvariantCulture),
            json.GetProperty("createable").GetBoolean(), json.GetProperty("updateable").GetBoolean(), json.GetProperty("deleteable").GetBoolean(),
            json.GetProperty("fields").EnumerateArray().Select(f => new FieldDescription(
                f.GetProperty("name").GetString()!, f.GetProperty("label").GetString() ?? "", f.GetProperty("mandatory").GetBoolean(),
                f.GetProperty("type").GetProperty("name").GetString() ?? "",
                f.GetProperty("type").TryGetProperty("refersTo", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToArray() : [])).ToArray());
        lock (_descriptions) _descriptions[module] = description;
        return description;
    }

    /// <summary>The record in the integration user's time zone (vtenext converts calendar dates and times for retrieve).</summary>
    public async Task<VtenextRecord> RetrieveAsync(ElementId id, CancellationToken ct = default) =>
        VtenextRecord.From(await CallAsync(HttpMethod.Get, "retrieve", [new("id", id.ToString())], ct));

    /// <summary>Creates a record; dates and times are taken in the integration user's zone.</summary>
    public async Task<VtenextRecord> CreateAsync(string module, IReadOnlyDictionary<string, object?> fields, CancellationToken ct = default) =>
        VtenextRecord.From(await CallAsync(HttpMethod.Post, "create",
            [new("elementType", module), new("element", JsonSerializer.Serialize(fields))], ct));

    /// <summary>Changes only the given fields (vtenext's revise).</summary>
    public async Task<VtenextRecord> ReviseAsync(ElementId id, IReadOnlyDictionary<string, object?> fields, CancellationToken ct = default)
    {
        var element = new Dictionary<string, object?>(fields) { ["id"] = id.ToString() };
        return VtenextRecord.From(await CallAsync(HttpMethod.Post, "revise", [new("element", JsonSerializer.Serialize(element))], ct));
    }

    public async Task DeleteAsync(ElementId id, CancellationToken ct = default) =>
        await CallAsync(HttpMethod.Post, "delete", [new("id", id.ToString())], ct);

    /// <summary>One VTQL statement as written (it must end with ';'). Values are as stored: server time zone.</summary>
    public async Task<IReadOnlyList<VtenextRecord>> QueryAsync(string vtql, CancellationToken ct = default)
    {
        var json = await CallAsync(HttpMethod.Get, "query", [new("query", vtql)], ct);
        return json.EnumerateArray().Select(VtenextRecord.From).ToList();
    }

    /// <summary>
    /// Every row of <paramref name="vtqlWithoutLimit"/> (no LIMIT, no ';'), fetched page by page with
    /// <c>LIMIT offset, pageSize</c> so no server-side row cap truncates it. Give an ORDER BY on a stable key (id or
    /// modifiedtime) when rows may change meanwhile.
    /// </summary>
    public async IAsyncEnumerable<VtenextRecord> QueryAllAsync(string vtqlWithoutLimit, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var statement = vtqlWithoutLimit.Trim().TrimEnd(';');
        if (statement.Contains(" limit ", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("QueryAllAsync pages by itself: leave LIMIT out.", nameof(vtqlWithoutLimit));
        // A short page ends the listing only once the server has shown it serves full pages; before that, a short
        // page may be the server's own row cap (below PageSize), so the next offset is asked too: never a silent cut.
        var servesFullPages = false;
        for (var offset = 0; ; )
        {
            var page = await QueryAsync($"{statement} LIMIT {offset}, {options.PageSize};", ct);
            foreach (var record in page) yield return record;
            if (page.Count == 0 || (page.Count < options.PageSize && servesFullPages)) yield break;
            servesFullPages |= page.Count == options.PageSize;
            offset += page.Count;
        }
    }

    private async Task<JsonElement> CallAsync(HttpMethod method, string operation, List<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        var session = await SessionAsync(ct);
        try
        {
            return await SendAsync(method, operation, [.. parameters, new("sessionName", session.SessionName)], ct);
        }
        catch (VtenextException e) when (e.IsSessionError)
        {
            session = await LoginAsync(session, ct);
            return await SendAsync(method, operation, [.. parameters, new("sessionName", session.SessionName)], ct);
        }
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string operation, List<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, options.WebserviceUrl);
        parameters.Insert(0, new("operation", operation));
        if (method == HttpMethod.Get)
        {
            var query = string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
            request.RequestUri = new Uri($"{options.WebserviceUrl}?{query}");
        }
        else
            request.Content = new FormUrlEncodedContent(parameters);

        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new VtenextException("HTTP_ERROR", $"vtenext answered HTTP {(int)response.StatusCode} {response.ReasonPhrase} at {options.WebserviceUrl}", operation);
        JsonElement body;
        try
        {
            body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        }
        catch (JsonException)
        {
            // A PHP warning or an HTML error page instead of JSON.
            throw Bad(operation, "the answer is not JSON; is the URL the vtenext site root and is vtenext healthy?");
        }
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("success", out var success))
            throw Bad(operation, "the answer has no 'success' field");
        if (success.ValueKind == JsonValueKind.True)
            return body.TryGetProperty("result", out var result) ? result.Clone() : default;
        var error = body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        throw new VtenextException(
            error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code) ? code.ToString() : "UNKNOWN",
            error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) ? message.ToString() : "no message",
            operation);
    }

    private static VtenextException Bad(string operation, string detail) => new("BAD_RESPONSE", $"unexpected answer from vtenext: {detail}", operation);
}
