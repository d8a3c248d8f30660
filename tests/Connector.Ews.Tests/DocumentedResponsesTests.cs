using System.Xml;
using System.Xml.Linq;
using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Services;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Streaming;

namespace Connector.Ews.Tests;

/// <summary>
/// Microsoft's documented EWS responses (<c>../shared/reference/extracted/ews/</c>) go through the client's own
/// response parsing. The docs print the SOAP namespace as https://…, a rendering bug; it is normalised here, never
/// in the client.
/// </summary>
public sealed class DocumentedResponsesTests
{
    private const string WrongSoapNamespace = "https://schemas.xmlsoap.org/soap/envelope/";

    public static TheoryData<string> ResponseFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Reference.Path("extracted", "ews"), "*.xml").Order())
            if (Load(file).Any(IsOperationResponse)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void The_reference_holds_the_documented_responses_including_the_ones_with_the_wrong_namespace()
    {
        var files = Directory.GetFiles(Reference.Path("extracted", "ews"), "*.xml");
        Assert.True(files.Length > 200, $"{files.Length} files");
        Assert.Equal(83, files.Count(f => File.ReadAllText(f).Contains(WrongSoapNamespace)));
        var responses = ResponseFiles().Count;
        Assert.True(responses >= 40, $"only {responses} files hold an operation response");
    }

    [Theory]
    [MemberData(nameof(ResponseFiles))]
    public void A_documented_response_parses_with_the_client(string file)
    {
        var responses = Load(Reference.Path("extracted", "ews", file)).Where(IsOperationResponse).ToList();
        Assert.NotEmpty(responses);
        foreach (var response in responses) Parse(response);
    }

    /// <summary>The client's parsing of one operation response, as it runs on the wire.</summary>
    private static void Parse(XElement response)
    {
        var envelope = new XElement(Ns.Soap + "Envelope", new XElement(Ns.Soap + "Body", new XElement(response)));
        var operation = response.Name.LocalName;
        if (operation == "GetStreamingEventsResponse")
        {
            var frames = StreamFrame.Parse(envelope).ToList();
            Assert.NotEmpty(frames);
            return;
        }
        var body = ResponseMessages.Body(new XDocument(envelope));
        if (operation == "GetUserAvailabilityResponse")
        {
            var count = body.Element(Ns.M + "FreeBusyResponseArray")?.Elements().Count() ?? 0;
            var answers = AvailabilityService.Parse(body, Enumerable.Range(0, count).Select(i => $"m{i}").ToList()).ToList();
            Assert.Equal(count, answers.Count);
            return;
        }
        var messages = ResponseMessages.All(body);
        Assert.NotEmpty(messages);
        foreach (var message in messages)
        {
            _ = ResponseMessages.Code(message);
            if (!ResponseMessages.IsSuccess(message)) { Assert.IsAssignableFrom<EwsException>(ResponseMessages.Error(message)); continue; }
            if (operation == "SyncFolderItemsResponse") SyncService.ParsePage(message);
            foreach (var item in message.Element(Ns.M + "Items")?.Elements() ?? [])
                switch (item.Name.LocalName)
                {
                    case "CalendarItem": ItemKinds.Calendar.Parse(item); break;
                    case "Task": ItemKinds.Task.Parse(item); break;
                    case "Contact": ItemKinds.Contact.Parse(item); break;
                }
        }
    }

    private static bool IsOperationResponse(XElement e) =>
        e.Name.Namespace == Ns.M && e.Name.LocalName.EndsWith("Response", StringComparison.Ordinal) && e.Element(Ns.M + "ResponseMessages") is not null
        || e.Name == Ns.M + "GetUserAvailabilityResponse";

    /// <summary>
    /// All elements of a documented block. Blocks may be a whole envelope, only its Header and Body, or (a few) an
    /// HTTP response with headers before the XML, or cut short / mis-nested by the docs; what is well-formed up to the
    /// first defect is kept, so every documented response element still reaches the client's parser.
    /// </summary>
    private static IEnumerable<XElement> Load(string path)
    {
        var text = File.ReadAllText(path).Replace(WrongSoapNamespace, Ns.Soap.NamespaceName);
        var start = text.IndexOf('<');
        if (start < 0) return [];
        var settings = new XmlReaderSettings { ConformanceLevel = ConformanceLevel.Fragment, DtdProcessing = DtdProcessing.Prohibit };
        var roots = new List<XElement>();
        XElement? open = null;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text[start..]), settings);
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                        var empty = reader.IsEmptyElement;
                        if (reader.MoveToFirstAttribute())
                        {
                            do if (reader.NamespaceURI != "http://www.w3.org/2000/xmlns/")
                                    element.Add(new XAttribute(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value));
                            while (reader.MoveToNextAttribute());
                            reader.MoveToElement();
                        }
                        if (open is null) roots.Add(element); else open.Add(element);
                        if (!empty) open = element;
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA:
                        open?.Add(new XText(reader.Value));
                        break;
                    case XmlNodeType.EndElement:
                        open = open?.Parent;
                        break;
                }
            }
        }
        catch (XmlException)
        {
            // A docs defect (unclosed or mis-nested tag, unbound prefix): keep what was read before it.
        }
        return roots.SelectMany(r => r.DescendantsAndSelf());
    }
}
