using System.Xml.Linq;

namespace Connector.Exchange.Ews.Soap;

/// <summary>Wraps an operation element in a SOAP envelope with the EWS headers we always send.</summary>
public static class Envelope
{
    /// <param name="impersonate">act as this mailbox (ExchangeImpersonation; the account needs the impersonation right)</param>
    public static XDocument Build(XElement operation, ExchangeVersion version, string? impersonate = null)
    {
        var header = new XElement(Ns.Soap + "Header",
            new XElement(Ns.T + "RequestServerVersion", new XAttribute("Version", version.ToString())),
            // Every time we send or read is UTC; saying so keeps the server from applying a local zone.
            new XElement(Ns.T + "TimeZoneContext",
                new XElement(Ns.T + "TimeZoneDefinition", new XAttribute("Id", "UTC"))));
        if (impersonate is not null)
            header.Add(new XElement(Ns.T + "ExchangeImpersonation",
                new XElement(Ns.T + "ConnectingSID", new XElement(Ns.T + "SmtpAddress", impersonate))));
        return new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement(Ns.Soap + "Envelope",
                new XAttribute(XNamespace.Xmlns + "soap", Ns.Soap),
                new XAttribute(XNamespace.Xmlns + "m", Ns.M),
                new XAttribute(XNamespace.Xmlns + "t", Ns.T),
                header,
                new XElement(Ns.Soap + "Body", operation)));
    }
}
