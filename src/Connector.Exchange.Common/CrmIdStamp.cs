namespace Connector.Exchange.Common;

/// <summary>
/// The MAPI named property that carries the CRM record id on Exchange items, the same property from Graph
/// (<c>singleValueExtendedProperties</c> id <see cref="GraphId"/>) and EWS (<c>ExtendedFieldURI PropertySetId=…
/// PropertyName=… PropertyType="String"</c>). Chosen once; never change it, or stamped items are no longer found.
/// </summary>
public static class CrmIdStamp
{
    public static readonly Guid PropertySetId = new("6B5F4A4E-3C1D-4E8A-9F27-0D7E5C2B1A90");
    public const string PropertyName = "vtenextCrmId";
    public const string PropertyType = "String";

    /// <summary>"String {6B5F4A4E-…} Name vtenextCrmId".</summary>
    public static string GraphId { get; } = $"{PropertyType} {{{PropertySetId.ToString().ToUpperInvariant()}}} Name {PropertyName}";

    /// <summary>To Do has no extended properties: the stamp is a linkedResource with this application name.</summary>
    public const string LinkedResourceApplication = "vtenext";
}
