using System.Globalization;
using System.Xml.Linq;

namespace Connector.Exchange.Ews.Soap;

/// <summary>Reads a response envelope: SOAP faults become exceptions; ResponseMessages are returned one per request item.</summary>
public static class ResponseMessages
{
    /// <summary>Throws for a SOAP fault; otherwise returns the Body's single child (the operation response).</summary>
    public static XElement Body(XDocument document)
    {
        var body = document.Root?.Element(Ns.Soap + "Body") ?? throw new EwsException("ErrorInvalidResponse", "The response is not a SOAP envelope.");
        var fault = body.Element(Ns.Soap + "Fault");
        if (fault is not null) throw FromFault(fault);
        return body.Elements().FirstOrDefault() ?? throw new EwsException("ErrorInvalidResponse", "The SOAP body is empty.");
    }

    /// <summary>Every <c>*ResponseMessage</c> under <c>ResponseMessages</c>, in request order.</summary>
    public static IReadOnlyList<XElement> All(XElement operationResponse) =>
        operationResponse.Element(Ns.M + "ResponseMessages")?.Elements().ToList() ?? [];

    public static string Code(XElement message) => (string?)message.Element(Ns.M + "ResponseCode") ?? EwsResponseCodes.NoError;

    public static bool IsSuccess(XElement message) => (string?)message.Attribute("ResponseClass") != "Error";

    /// <summary>The exception a failed response message stands for (<see cref="EwsServerBusyException"/> when throttled).</summary>
    public static EwsException Error(XElement message)
    {
        var code = Code(message);
        var text = (string?)message.Element(Ns.M + "MessageText") ?? code;
        return EwsResponseCodes.IsThrottling(code)
            ? new EwsServerBusyException(code, text, BackOff(message.Element(Ns.M + "MessageXml")))
            : new EwsException(code, text);
    }

    /// <summary>Throws when the message is an error; returns it otherwise.</summary>
    public static XElement EnsureSuccess(XElement message) => IsSuccess(message) ? message : throw Error(message);

    private static EwsException FromFault(XElement fault)
    {
        var detail = fault.Element("detail");
        var code = (string?)detail?.Element(Ns.Errors + "ResponseCode")
                   ?? ((string?)fault.Element("faultcode"))?.Split(':').Last() ?? "ErrorInternalServerError";
        var text = (string?)detail?.Element(Ns.Errors + "Message") ?? (string?)fault.Element("faultstring") ?? code;
        return EwsResponseCodes.IsThrottling(code)
            ? new EwsServerBusyException(code, text, BackOff(detail?.Element(Ns.T + "MessageXml")))
            : new EwsException(code, text);
    }

    /// <summary>The server's hint (MessageXml/Value[@Name='BackOffMilliseconds']), or a short default.</summary>
    internal static TimeSpan BackOff(XElement? messageXml)
    {
        var value = messageXml?.Elements(Ns.T + "Value").FirstOrDefault(v => (string?)v.Attribute("Name") == "BackOffMilliseconds");
        return value is not null && long.TryParse(value.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : TimeSpan.FromSeconds(2);
    }
}
