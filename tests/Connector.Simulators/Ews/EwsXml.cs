using System.Globalization;
using System.Xml.Linq;

namespace Connector.Simulators.Ews;

/// <summary>Namespaces, value formats and the response envelope of the simulated EWS endpoint.</summary>
internal static class EwsXml
{
    public static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace M = "http://schemas.microsoft.com/exchange/services/2006/messages";
    public static readonly XNamespace T = "http://schemas.microsoft.com/exchange/services/2006/types";
    public static readonly XNamespace E = "http://schemas.microsoft.com/exchange/services/2006/errors";

    public static XElement Tx(string name, params object?[] content) => new(T + name, content);
    public static XElement Mx(string name, params object?[] content) => new(M + name, content);

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateOnly ParseDate(string value) =>
        DateOnly.ParseExact(value.Length > 10 ? value[..10] : value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static XElement ServerVersionInfo(SimulatedVersion version) => version == SimulatedVersion.Exchange2010_SP2
        ? Tx("ServerVersionInfo", new XAttribute("MajorVersion", 14), new XAttribute("MinorVersion", 3),
            new XAttribute("MajorBuildNumber", 123), new XAttribute("MinorBuildNumber", 4), new XAttribute("Version", "Exchange2010_SP2"))
        : Tx("ServerVersionInfo", new XAttribute("MajorVersion", 15), new XAttribute("MinorVersion", 1),
            new XAttribute("MajorBuildNumber", 2507), new XAttribute("MinorBuildNumber", 6), new XAttribute("Version", "V2017_07_11"));

    /// <summary>A response envelope around <paramref name="body"/>, prefixes declared once at the top.</summary>
    public static XElement Envelope(XElement body, SimulatedVersion version) => new(Soap + "Envelope",
        new XAttribute(XNamespace.Xmlns + "s", Soap),
        new XAttribute(XNamespace.Xmlns + "m", M),
        new XAttribute(XNamespace.Xmlns + "t", T),
        new XElement(Soap + "Header", ServerVersionInfo(version)),
        new XElement(Soap + "Body", body));

    /// <summary>A SOAP fault the way Exchange sends one (HTTP 500), e.g. ErrorServerBusy with BackOffMilliseconds.</summary>
    public static XElement Fault(string code, string message, long? backOffMilliseconds = null) => new(Soap + "Envelope",
        new XAttribute(XNamespace.Xmlns + "s", Soap),
        new XElement(Soap + "Body",
            new XElement(Soap + "Fault",
                new XElement("faultcode", new XAttribute(XNamespace.Xmlns + "a", T), "a:" + code),
                new XElement("faultstring", new XAttribute(XNamespace.Xml + "lang", "en-US"), message),
                new XElement("detail",
                    new XElement(E + "ResponseCode", code),
                    new XElement(E + "Message", message),
                    backOffMilliseconds is { } ms
                        ? Tx("MessageXml", Tx("Value", new XAttribute("Name", "BackOffMilliseconds"), ms))
                        : null))));

    public static XElement Success(string messageName, params object?[] content) =>
        Mx(messageName, new XAttribute("ResponseClass", "Success"), Mx("ResponseCode", "NoError"), content);

    public static XElement Error(string messageName, string code, string text, params object?[] content) =>
        Mx(messageName, new XAttribute("ResponseClass", "Error"), Mx("MessageText", text), Mx("ResponseCode", code),
            Mx("DescriptiveLinkKey", 0), content);

    public static XElement Response(string operation, IEnumerable<XElement> messages) =>
        Mx(operation + "Response", Mx("ResponseMessages", messages));

    public static string? Text(this XElement parent, string name) => (string?)parent.Element(T + name);
}

public enum SimulatedVersion { Exchange2010_SP2, Exchange2013_SP1 }

/// <summary>An EWS error raised while handling one request item; becomes an Error response message.</summary>
internal sealed class EwsSimError(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
