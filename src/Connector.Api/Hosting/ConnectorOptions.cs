namespace Connector.Api.Hosting;

/// <summary>The <c>Connector</c> configuration section (appsettings, environment <c>Connector__*</c>, command line).</summary>
public sealed class ConnectorOptions
{
    public const string Section = "Connector";

    /// <summary>The bridge's shared key; every API call carries it in <c>X-Connector-Key</c>.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Where the Data Protection key ring lives; secrets in the database are useless without it.</summary>
    public string DataProtectionKeysPath { get; set; } = "";

    /// <summary>Requests with a larger body are refused with 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    public const int MinimumApiKeyLength = 16;
}
