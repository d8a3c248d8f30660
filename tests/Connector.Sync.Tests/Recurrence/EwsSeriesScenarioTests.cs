namespace Connector.Sync.Tests.Recurrence;

// The series scenarios again, with the connector speaking EWS (the tests still watch Exchange through Graph: the
// simulator serves one mailbox model through both).

public sealed class EwsExchangeSeriesScenarioTests : ExchangeSeriesScenarioTests
{
    protected override ExchangeProtocol Protocol => ExchangeProtocol.Ews;
}

public sealed class EwsCrmSeriesScenarioTests : CrmSeriesScenarioTests
{
    protected override ExchangeProtocol Protocol => ExchangeProtocol.Ews;
}

public sealed class EwsSeriesTimeScenarioTests : SeriesTimeScenarioTests
{
    protected override ExchangeProtocol Protocol => ExchangeProtocol.Ews;
}

public sealed class EwsInitialSeriesSyncTests : InitialSeriesSyncTests
{
    protected override ExchangeProtocol Protocol => ExchangeProtocol.Ews;
}
