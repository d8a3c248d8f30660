using System.Xml.Linq;

namespace Connector.Exchange.Ews.Soap;

/// <summary>The three namespaces of every EWS exchange: SOAP 1.1 envelope, messages (m:) and types (t:).</summary>
public static class Ns
{
    public static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace M = "http://schemas.microsoft.com/exchange/services/2006/messages";
    public static readonly XNamespace T = "http://schemas.microsoft.com/exchange/services/2006/types";
    public static readonly XNamespace Errors = "http://schemas.microsoft.com/exchange/services/2006/errors";
}
