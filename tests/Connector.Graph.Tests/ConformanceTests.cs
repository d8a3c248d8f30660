using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Connector.Exchange.Graph.Models;

namespace Connector.Graph.Tests;

/// <summary>
/// Microsoft's documented Graph payloads (<c>../shared/reference</c>: the 2021 docs snapshot's extracted blocks and
/// the current hand-copied payloads) deserialize with the client's models and serialize back to the same JSON.
/// Bodies that are not JSON (elided with "…", comments) are skipped and counted; the docs' placeholder
/// "datetime-value" is replaced by a real timestamp first, since no typed client can read it as a date.
/// </summary>
public sealed partial class ConformanceTests
{
    // Which model a page's payloads are, by the page's file name (first match wins).
    private static readonly (string Page, Type Single)[] Models =
    [
        ("calendar-getschedule", typeof(ScheduleInformation)),
        ("event-cancel", typeof(EventActionBody)),
        ("event-decline", typeof(EventActionBody)),
        ("resources_singlevaluelegacyextendedproperty", typeof(SingleValueExtendedProperty)),
        ("singlevaluelegacyextendedproperty", typeof(Event)),
        ("contactfolder", typeof(ContactFolder)),
        ("contact", typeof(Contact)),
        ("event", typeof(Event)),
        ("delta-query-events", typeof(Event)),
        ("subscription", typeof(Subscription)),
        ("todo-list-lists", typeof(TodoTaskList)),
        ("todotasklist", typeof(TodoTaskList)),
        ("todotask", typeof(TodoTask)),
        ("todo-overview", typeof(TodoTask)),
        ("attendee", typeof(Attendee)),
        ("datetimetimezone", typeof(DateTimeTimeZone)),
        ("patternedrecurrence", typeof(PatternedRecurrence)),
        ("recurrencepattern", typeof(RecurrencePattern)),
        ("recurrencerange", typeof(RecurrenceRange)),
        ("responsestatus", typeof(ResponseStatus)),
        ("json-batching", typeof(BatchRequest)),
        ("webhooks", typeof(ChangeNotificationCollection)),
        ("notification-payload", typeof(ChangeNotificationCollection)),
        ("linkedresource", typeof(TodoTask)),
    ];

    public static IEnumerable<object[]> Payloads()
    {
        var root = ReferenceRoot();
        var files = Directory.GetFiles(Path.Combine(root, "extracted", "graph-2021"))
            .Concat(Directory.GetFiles(Path.Combine(root, "graph-current")))
            .Where(f => f.EndsWith(".http") || f.EndsWith(".json"))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            if (Models.FirstOrDefault(m => name.Contains(m.Page, StringComparison.OrdinalIgnoreCase)).Single is null || IsSchema(name)) continue;
            var index = 0;
            foreach (var _ in JsonBodies(File.ReadAllText(file))) yield return [name, index++];
        }
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Documented_payload_deserializes_and_round_trips(string file, int bodyIndex)
    {
        var path = Directory.GetFiles(Path.Combine(ReferenceRoot(), "extracted", "graph-2021"), file).Concat(
            Directory.GetFiles(Path.Combine(ReferenceRoot(), "graph-current"), file)).First();
        var json = JsonBodies(File.ReadAllText(path)).ElementAt(bodyIndex);
        var type = ModelFor(file, json);

        var model = JsonSerializer.Deserialize(json.ToJsonString(), type, GraphJson.Options);
        Assert.NotNull(model);
        AssertTypedValuesRead(model!, json);

        var back = JsonNode.Parse(JsonSerializer.Serialize(model, type, GraphJson.Options))!;
        AssertSameJson(json, back, "$");
    }

    public static IEnumerable<object[]> Schemas() =>
        Directory.GetFiles(Path.Combine(ReferenceRoot(), "extracted", "graph-2021"), "api-reference_v1.0_resources_*.json")
            .Select(Path.GetFileName).Where(n => Models.Any(m => n!.Contains(m.Page, StringComparison.OrdinalIgnoreCase))).Order().Select(n => new object[] { n! });

    private static bool IsSchema(string file) => file.StartsWith("api-reference_v1.0_resources_", StringComparison.Ordinal) && file.EndsWith(".json");

    /// <summary>
    /// The docs' resource pages give each property with its type name ("Boolean", "String (timestamp)", 1024, {…}).
    /// Every property our model shares with the documented resource has a compatible .NET type, and the JSON names
    /// match (a misspelt name would not be shared and is caught by the payload round-trips).
    /// </summary>
    [Theory]
    [MemberData(nameof(Schemas))]
    public void Documented_resource_schema_matches_the_model_types(string file)
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(ReferenceRoot(), "extracted", "graph-2021", file)))!.AsObject();
        var type = Models.First(m => file.Contains(m.Page, StringComparison.OrdinalIgnoreCase)).Single;
        var shared = 0;
        foreach (var property in type.GetProperties())
        {
            var jsonName = property.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), false)
                .Cast<System.Text.Json.Serialization.JsonPropertyNameAttribute>().FirstOrDefault()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!schema.TryGetPropertyValue(jsonName, out var documented) || documented is null) continue;
            shared++;
            var clr = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            switch (documented)
            {
                case JsonArray: Assert.True(clr.IsGenericType && clr.GetGenericTypeDefinition() == typeof(List<>), $"{jsonName}: documented as a collection, model has {clr.Name}"); break;
                case JsonObject: Assert.True(clr.IsClass && clr != typeof(string), $"{jsonName}: documented as an object, model has {clr.Name}"); break;
                default:
                    var value = documented.AsValue();
                    if (value.GetValueKind() is JsonValueKind.True or JsonValueKind.False) Assert.True(clr == typeof(bool), $"{jsonName}: documented as a boolean, model has {clr.Name}");
                    else if (value.TryGetValue<double>(out _)) Assert.True(clr == typeof(int) || clr == typeof(long), $"{jsonName}: documented as a number, model has {clr.Name}");
                    else if (value.ToString() == "Boolean") Assert.True(clr == typeof(bool), $"{jsonName}: documented as Boolean, model has {clr.Name}");
                    else if (value.ToString().Contains("timestamp", StringComparison.OrdinalIgnoreCase) || value.ToString() == "DateTimeOffset")
                        Assert.True(clr == typeof(DateTimeOffset) || clr == typeof(string), $"{jsonName}: documented as a timestamp, model has {clr.Name}");
                    else Assert.True(clr == typeof(string) || clr.IsClass, $"{jsonName}: documented as {value}, model has {clr.Name}");
                    break;
            }
        }
        Assert.True(shared >= Math.Min(2, schema.Count), $"{type.Name} shares only {shared} properties with {file}");
    }

    [Fact]
    public void The_reference_corpus_is_there_and_mostly_usable()
    {
        Assert.True(Payloads().Count() >= 40, $"only {Payloads().Count()} documented JSON bodies found under {ReferenceRoot()}");
    }

    [Fact]
    public void A_documented_event_reads_into_typed_values()
    {
        var json = File.ReadAllText(Path.Combine(ReferenceRoot(), "extracted", "graph-2021", "api-reference_v1.0_api_event-list-instances__03.http"));
        var page = JsonBodies(json).Select(b => JsonSerializer.Deserialize<GraphPage<Event>>(b.ToJsonString(), GraphJson.Options)!).First(p => p.Value.Count > 0);
        Assert.Equal(new[] { "exception", "occurrence" }, page.Value.Select(e => e.Type!).Distinct().Order().ToArray());
        Assert.All(page.Value, e => Assert.False(string.IsNullOrEmpty(e.Id)));
        Assert.All(page.Value, e => Assert.True(e.Start!.ToInstant() < e.End!.ToInstant())); // documented dateTimeTimeZones convert to instants
    }

    private static Type ModelFor(string file, JsonNode json)
    {
        var single = Models.First(m => file.Contains(m.Page, StringComparison.OrdinalIgnoreCase)).Single;
        if (single == typeof(BatchRequest) && json is JsonObject b && b.ContainsKey("responses")) return typeof(BatchResponse);
        if (single == typeof(ScheduleInformation) && json is JsonObject s && s.ContainsKey("schedules")) return typeof(ScheduleRequest);
        if (single == typeof(Subscription) && json is JsonObject n && n["value"] is JsonArray arr && arr.FirstOrDefault() is JsonObject first && first.ContainsKey("subscriptionId"))
            return typeof(ChangeNotificationCollection);
        if (single != typeof(ChangeNotificationCollection) && json is JsonObject o && o["value"] is JsonArray) return typeof(GraphPage<>).MakeGenericType(single);
        if (single == typeof(ChangeNotificationCollection) && json is JsonObject c && c.ContainsKey("resource") && !c.ContainsKey("value")) return typeof(Subscription);
        return single;
    }

    /// <summary>Typed properties really were read (not all swallowed as unknown): each known property present in the
    /// JSON with a non-null value must be non-null on the model.</summary>
    private static void AssertTypedValuesRead(object model, JsonNode json)
    {
        if (json is not JsonObject obj) return;
        foreach (var property in model.GetType().GetProperties())
        {
            var jsonName = property.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), false)
                .Cast<System.Text.Json.Serialization.JsonPropertyNameAttribute>().FirstOrDefault()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (property.Name == nameof(GraphObject.Additional) || !obj.TryGetPropertyValue(jsonName, out var value) || value is null) continue;
            Assert.True(property.GetValue(model) is not null, $"'{jsonName}' was in the payload but not read into {model.GetType().Name}.{property.Name}");
        }
    }

    private static void AssertSameJson(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected null, got {actual?.ToJsonString()}");
                return;
            case JsonObject e:
                var a = Assert.IsType<JsonObject>(actual);
                foreach (var (key, value) in e)
                {
                    if (value is null) { Assert.True(a[key] is null, $"{path}.{key}: expected null"); continue; } // nulls are not written back
                    Assert.True(a.ContainsKey(key), $"{path}.{key} was dropped in the round-trip");
                    AssertSameJson(value, a[key], $"{path}.{key}");
                }
                foreach (var (key, value) in a)
                    Assert.True(e.ContainsKey(key), $"{path}.{key} appeared in the round-trip with {value?.ToJsonString()}");
                return;
            case JsonArray e:
                var arr = Assert.IsType<JsonArray>(actual);
                Assert.Equal(e.Count, arr.Count);
                for (var i = 0; i < e.Count; i++) AssertSameJson(e[i], arr[i], $"{path}[{i}]");
                return;
            default:
                var ev = expected.AsValue();
                var av = actual!.AsValue();
                if (ev.TryGetValue<string>(out var es) && av.TryGetValue<string>(out var @as) && es != @as &&
                    DateTimeOffset.TryParse(es, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ed) &&
                    DateTimeOffset.TryParse(@as, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ad))
                {
                    Assert.True(ed == ad, $"{path}: {es} became {@as}");
                    return;
                }
                if (ev.TryGetValue<double>(out var en) && av.TryGetValue<double>(out var an)) { Assert.Equal(en, an); return; }
                Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
                return;
        }
    }

    /// <summary>The JSON bodies of a .http/.json reference file: each block after a blank line that parses as JSON.</summary>
    private static IEnumerable<JsonNode> JsonBodies(string text)
    {
        text = text.Replace("\r\n", "\n");
        foreach (var block in Regex.Split(text, @"\n(?=(?:GET|POST|PATCH|PUT|DELETE|HTTP/1\.1|#) )").Append(text))
        {
            var start = block.IndexOfAny(['{', '[']);
            if (start < 0) continue;
            var candidate = Placeholder().Replace(block[start..], "\"2021-01-01T00:00:00Z\"");
            JsonNode? node;
            try { node = JsonNode.Parse(candidate, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }); }
            catch (JsonException) { continue; }
            if (node is JsonObject) yield return node;
            if (block == text) yield break;
        }
    }

    [GeneratedRegex("\"(?:datetime|dateTime|DateTime)-value\"")]
    private static partial Regex Placeholder();

    internal static string ReferenceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Connector.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "reference"));
        throw new DirectoryNotFoundException("Connector.sln not found above the test binaries.");
    }
}
