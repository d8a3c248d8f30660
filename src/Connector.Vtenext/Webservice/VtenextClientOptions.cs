namespace Connector.Vtenext.Webservice;

/// <summary>Where vtenext is and who the connector is there (the integration user and its webservice access key).</summary>
public sealed record VtenextClientOptions(Uri SiteUrl, string UserName, string AccessKey)
{
    /// <summary>Rows asked per query page. vtiger caps a page at 100; vtenext allows more, but 100 works everywhere.</summary>
    public int PageSize { get; init; } = 100;

    public Uri WebserviceUrl => new(SiteUrl.AbsoluteUri.TrimEnd('/') + "/webservice.php");
}
