namespace Connector.Vtenext.Webservice;

/// <summary>What <c>describe</c> says about a module: its id prefix and fields.</summary>
public sealed record ModuleDescription(string Name, int IdPrefix, bool Createable, bool Updateable, bool Deleteable,
    IReadOnlyList<FieldDescription> Fields)
{
    public ElementId Id(int crmId) => new(IdPrefix, crmId);
}

public sealed record FieldDescription(string Name, string Label, bool Mandatory, string Type, IReadOnlyList<string> RefersTo);

/// <summary>The integration user's session.</summary>
public sealed record VtenextSession(string SessionName, ElementId UserId);
