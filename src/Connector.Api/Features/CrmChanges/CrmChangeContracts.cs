using System.ComponentModel;

namespace Connector.Api.Features.CrmChanges;

/// <summary>A change notice from the vtenext bridge.</summary>
public sealed record CrmChangeRequest
{
    [Description("Webservice module name: Events, Calendar (tasks) or Contacts.")]
    public string? Module { get; init; }
    [Description("The record's crmid.")]
    public int? Crmid { get; init; }
    [Description("save or delete.")]
    public string? Operation { get; init; }
    [Description("The record's modifiedtime, ISO 8601 with offset, e.g. 2026-03-29T10:15:00+02:00.")]
    public string? Modifiedtime { get; init; }
    [Description("The CRM user id who made the change.")]
    public int? ActingUser { get; init; }
}

/// <summary>The notice is stored; <c>duplicate</c> when an identical notice had been stored before.</summary>
public sealed record CrmChangeAccepted(long Id, bool Duplicate);
