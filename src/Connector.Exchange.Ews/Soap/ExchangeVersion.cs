namespace Connector.Exchange.Ews.Soap;

/// <summary>
/// The schema version we ask for. Exchange2013_SP1 gives <c>IsOrganizer</c>; Exchange 2010 SP2 servers refuse it, and
/// then the organizer is known from <c>MyResponseType = Organizer</c>.
/// </summary>
public enum ExchangeVersion
{
    Exchange2010_SP2,
    Exchange2013_SP1,
}
