using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Connector.Ews.Tests.Support;

/// <summary>
/// Microsoft's EWS schema (messages.xsd + types.xsd, Exchange Online V2018_01_08). A request is valid when each
/// SOAP header element and the body's operation element validate; the envelope itself is SOAP, not EWS schema.
/// </summary>
internal static class EwsSchema
{
    private static readonly Lazy<XmlSchemaSet> Schemas = new(Load);
    private static int _validated;

    /// <summary>How many client requests have been validated so far in this test run.</summary>
    public static int ValidatedCount => Volatile.Read(ref _validated);

    public static void Validate(string soapRequest)
    {
        var document = XDocument.Parse(soapRequest);
        XNamespace soap = "http://schemas.xmlsoap.org/soap/envelope/";
        var parts = (document.Root?.Element(soap + "Header")?.Elements() ?? []).Concat(document.Root?.Element(soap + "Body")?.Elements() ?? []).ToList();
        if (parts.Count == 0) throw new XmlSchemaValidationException("The request has no SOAP header or body content.");
        var errors = new List<string>();
        foreach (var part in parts)
            new XDocument(new XElement(part)).Validate(Schemas.Value, (_, e) => errors.Add($"{part.Name.LocalName}: {e.Message}"));
        if (errors.Count > 0)
            throw new XmlSchemaValidationException("EWS request violates messages.xsd/types.xsd:\n" + string.Join("\n", errors) + "\n" + soapRequest);
        Interlocked.Increment(ref _validated);
    }

    private static XmlSchemaSet Load()
    {
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = new XmlUrlResolver() };
        using (var reader = XmlReader.Create(Reference.Path("ews-schema-exo-V2018_01_08", "messages.xsd"), settings))
            set.Add(null, reader);
        set.Compile();
        return set;
    }
}

/// <summary>
/// Validates every request the client sends before it leaves; an invalid one fails the calling test. With
/// <paramref name="responses"/>, the simulator's successful answers too (and hands each to <paramref name="seen"/>).
/// </summary>
internal sealed class SchemaValidatingHandler(HttpMessageHandler inner, bool responses = false, Action<string>? seen = null) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var sent = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct);
        if (sent is not null) EwsSchema.Validate(sent);
        var response = await base.SendAsync(request, ct);
        // A streaming answer never ends: it is not buffered here.
        if (responses && sent?.Contains("GetStreamingEvents", StringComparison.Ordinal) == false && response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType?.Contains("xml") == true)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            EwsSchema.Validate(body);
            seen?.Invoke(body);
        }
        return response;
    }
}
