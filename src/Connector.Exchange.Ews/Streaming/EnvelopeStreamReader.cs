using System.Runtime.CompilerServices;
using System.Xml;
using System.Xml.Linq;

namespace Connector.Exchange.Ews.Streaming;

/// <summary>
/// Reads a GetStreamingEvents response: one chunked HTTP body carrying a sequence of complete SOAP envelopes,
/// each pushed when it happens. Builds each envelope node by node and hands it over the moment its end tag
/// arrives - without waiting for (or buffering) the rest of the response, and without the read-ahead that
/// <c>XNode.ReadFrom</c> does after an element, which would hold an envelope back until the next push.
/// </summary>
public static class EnvelopeStreamReader
{
    public static async IAsyncEnumerable<XElement> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var settings = new XmlReaderSettings
        {
            Async = true,
            ConformanceLevel = ConformanceLevel.Fragment, // several top-level envelopes in one body
            DtdProcessing = DtdProcessing.Prohibit,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        };
        using var reader = XmlReader.Create(stream, settings);
        XElement? open = null;
        while (await reader.ReadAsync())
        {
            ct.ThrowIfCancellationRequested();
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                    var empty = reader.IsEmptyElement;
                    if (reader.MoveToFirstAttribute())
                    {
                        do element.Add(reader.NamespaceURI == "http://www.w3.org/2000/xmlns/"
                                ? new XAttribute(reader.Prefix.Length == 0 ? "xmlns" : XNamespace.Xmlns + reader.LocalName, reader.Value)
                                : new XAttribute(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value));
                        while (reader.MoveToNextAttribute());
                        reader.MoveToElement();
                    }
                    open?.Add(element);
                    if (!empty) open = element;
                    else if (open is null) yield return element;
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.SignificantWhitespace:
                    open?.Add(new XText(reader.Value));
                    break;
                case XmlNodeType.EndElement:
                    var done = open!;
                    open = done.Parent;
                    if (open is null) yield return done;
                    break;
            }
        }
    }
}
