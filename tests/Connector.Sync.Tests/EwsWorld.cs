using System.Text.Json.Nodes;

namespace Connector.Sync.Tests;

/// <summary>The protocol the connector uses to reach Exchange in a scenario.</summary>
public enum ExchangeProtocol { Graph, Ews }

/// <summary>
/// The on-premises variant of <see cref="SyncWorld"/>: the connector is configured with <c>exchangeKind = onPremises</c>
/// and the simulator's EWS endpoint over HTTPS (its throw-away CA trusted through <c>Connector:ExtraCaBundlePath</c>);
/// Alice signs in with NTLM (the simulator's real gss-ntlmssp acceptor), Bob with Basic.
/// </summary>
public static class EwsWorld
{
    public const string Password = "P@ssw0rd!";

    public static Uri EwsUrl(SyncWorld w) => new(w.GraphBase, "/EWS/Exchange.asmx");

    /// <summary>The settings an admin stores for Exchange on premises (the simulator's EWS) and vtenext's webservice.</summary>
    public static JsonObject Settings(SyncWorld w) => new()
    {
        ["exchangeKind"] = "onPremises", ["ewsUrl"] = EwsUrl(w).AbsoluteUri,
        ["vtenextUrl"] = w.CrmBase.AbsoluteUri, ["vtenextUser"] = "exchange", ["vtenextAccessKey"] = "AKexchange0000001",
    };

    public static object Preferences(bool enabled, string mailbox)
    {
        var local = mailbox.Split('@')[0];
        return local == "alice"
            ? new { enabled, mailbox, authMethod = "ntlm", username = $"CONTOSO\\{local}", password = Password }
            : new { enabled, mailbox, authMethod = "basic", username = local, password = Password };
    }
}

/// <summary>The scenario classes again, with the connector speaking EWS (issue 6: every scenario runs against both adapters).</summary>
public sealed class EwsCalendarScenarioTests : CalendarScenarioTests
{
    protected override ExchangeProtocol Protocol => ExchangeProtocol.Ews;
}

public sealed class EwsAssignmentScenarioTests : AssignmentScenarioTests
{
    protected override ExchangeProtocol Protocol => ExchangeProtocol.Ews;
}

public sealed class EwsInitialSyncTests : InitialSyncTests
{
    protected override ExchangeProtocol Protocol => ExchangeProtocol.Ews;
}

public sealed class EwsLoopTests(Xunit.Abstractions.ITestOutputHelper output) : LoopTests(output)
{
    protected override ExchangeProtocol Protocol => ExchangeProtocol.Ews;
}

public sealed class EwsCrashTests(Xunit.Abstractions.ITestOutputHelper output) : CrashTests(output)
{
    protected override ExchangeProtocol Protocol => ExchangeProtocol.Ews;
}
