namespace Connector.Core.Calendar;

/// <summary>Who an attendee is to the CRM: adapters match CRM users and contacts by e-mail.</summary>
public enum AttendeeKind { External, CrmUser, CrmContact }

/// <summary>An attendee's answer to the invitation.</summary>
public enum AttendeeResponse { None, Organizer, Tentative, Accepted, Declined, NotResponded }

/// <summary>Required or optional attendee, or a resource (room, equipment).</summary>
public enum AttendeeRole { Required, Optional, Resource }

/// <summary>
/// One attendee of a meeting. <see cref="CrmId"/> is the CRM user or contact id when <see cref="Kind"/> says so.
/// The e-mail is the identity and is stored lower-cased.
/// </summary>
public sealed record Attendee
{
    public Attendee(string email, string? name = null, AttendeeKind kind = AttendeeKind.External,
        AttendeeResponse response = AttendeeResponse.None, AttendeeRole role = AttendeeRole.Required, long? crmId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        if (kind != AttendeeKind.External && crmId is null)
            throw new ArgumentException("A CRM user or contact attendee needs its CRM id.", nameof(crmId));
        Email = email.Trim().ToLowerInvariant();
        Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        Kind = kind;
        Response = response;
        Role = role;
        CrmId = kind == AttendeeKind.External ? null : crmId;
    }

    public string Email { get; }
    public string? Name { get; }
    public AttendeeKind Kind { get; }
    public AttendeeResponse Response { get; init; }
    public AttendeeRole Role { get; }
    public long? CrmId { get; }
}

/// <summary>The meeting's organiser. E-mail lower-cased; <see cref="CrmUserId"/> set when it is a CRM user.</summary>
public sealed record Organizer
{
    public Organizer(string email, string? name = null, int? crmUserId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        Email = email.Trim().ToLowerInvariant();
        Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        CrmUserId = crmUserId;
    }

    public string Email { get; }
    public string? Name { get; }
    public int? CrmUserId { get; }

    public bool Is(string mailboxAddress) => string.Equals(Email, mailboxAddress.Trim(), StringComparison.OrdinalIgnoreCase);
}
