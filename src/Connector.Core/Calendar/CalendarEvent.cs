using Connector.Core.Common;
using Connector.Core.Recurrence;
using Connector.Core.Sync;

namespace Connector.Core.Calendar;

/// <summary>How the time shows in free/busy.</summary>
public enum ShowAs { Busy, Free, Tentative, OutOfOffice, WorkingElsewhere }

/// <summary>Normal or private (hidden from people the calendar is shared with).</summary>
public enum Sensitivity { Normal, Private }

/// <summary>
/// A calendar event as both sides understand it. A series master carries its <see cref="Recurrence"/>; a single
/// event or one occurrence record has none. <see cref="Description"/> is plain text (adapters convert HTML).
/// </summary>
public sealed record CalendarEvent : ISyncEntity
{
    public required string Subject { get; init; }
    public required EventSpan Span { get; init; }
    public string? Location { get; init; }
    public string? Description { get; init; }
    public Organizer? Organizer { get; init; }
    public ValueList<Attendee> Attendees { get; init; } = ValueList<Attendee>.Empty;
    public ShowAs ShowAs { get; init; } = ShowAs.Busy;
    public Sensitivity Sensitivity { get; init; } = Sensitivity.Normal;

    /// <summary>Minutes before the start; null = no reminder.</summary>
    public int? ReminderMinutesBefore { get; init; }

    public RecurrenceRule? Recurrence { get; init; }

    public RecordKind Kind => RecordKind.Event;

    public bool IsAllDay => Span is AllDaySpan;
    public bool IsMeeting => Attendees.Count > 0;

    public void WriteContent(FingerprintWriter w)
    {
        w.Add("subject", Subject).Add("span", Span.ContentText).Add("location", Location).Add("description", Description)
            .Add("organizer", Organizer?.Email).Add("showAs", ShowAs).Add("sensitivity", Sensitivity)
            .Add("reminder", ReminderMinutesBefore);
        // Attendee order differs between servers; the response is content (a reply is a change to sync).
        foreach (var a in Attendees.OrderBy(a => a.Email, StringComparer.Ordinal))
            w.Add("attendee", $"{a.Email}|{a.Role}|{a.Response}");
        if (Recurrence is not null) Recurrence.WriteContent(w);
    }
}
