namespace Connector.Exchange.Ews.Items;

/// <summary>CreateItem's <c>SendMeetingInvitations</c>.</summary>
public enum SendInvitations { SendToNone, SendOnlyToAll, SendToAllAndSaveCopy }

/// <summary>UpdateItem's <c>SendMeetingInvitationsOrCancellations</c>.</summary>
public enum SendUpdates { SendToNone, SendOnlyToAll, SendOnlyToChanged, SendToAllAndSaveCopy, SendToChangedAndSaveCopy }

/// <summary>UpdateItem's <c>ConflictResolution</c>. With our ChangeKey, AutoResolve refuses to overwrite a newer edit.</summary>
public enum ConflictResolution { NeverOverwrite, AutoResolve, AlwaysOverwrite }

/// <summary>DeleteItem's <c>SendMeetingCancellations</c>.</summary>
public enum SendCancellations { SendToNone, SendOnlyToAll, SendToAllAndSaveCopy }

/// <summary>DeleteItem's <c>AffectedTaskOccurrences</c>.</summary>
public enum AffectedTaskOccurrences { AllOccurrences, SpecifiedOccurrenceOnly }

/// <summary>DeleteItem's <c>DeleteType</c>.</summary>
public enum DeleteMode { HardDelete, SoftDelete, MoveToDeletedItems }
