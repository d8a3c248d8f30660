using System.Text.Json;

namespace Connector.Vtenext.Webservice;

/// <summary>A record as the webservice returns it: field name → string value ("" for empty), plus its element id.</summary>
public sealed class VtenextRecord(IReadOnlyDictionary<string, string> fields)
{
    public IReadOnlyDictionary<string, string> Fields { get; } = fields;

    public string this[string field] => Fields.TryGetValue(field, out var v) ? v : "";

    public ElementId Id => ElementId.Parse(this["id"]);

    internal static VtenextRecord From(JsonElement json)
    {
        var fields = new Dictionary<string, string>();
        foreach (var p in json.EnumerateObject())
            fields[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString()!,
                JsonValueKind.Null => "",
                JsonValueKind.True => "1",
                JsonValueKind.False => "0",
                _ => p.Value.GetRawText(),
            };
        return new VtenextRecord(fields);
    }
}
