using Connector.Core.Common;
using Connector.Core.Sync;

namespace Connector.Core.Tasks;

/// <summary>Where a task stands (the union the CRM and Exchange both express; adapters map their picklists).</summary>
public enum TaskState { NotStarted, InProgress, Completed, WaitingOnOthers, Deferred }

public enum TaskPriority { Low, Normal, High }

/// <summary>
/// A task. Start and due are dates: Exchange keeps task dates without a meaningful time of day.
/// <see cref="CompletedAt"/> is set only when the task is completed.
/// </summary>
public sealed record TaskItem : ISyncEntity
{
    public required string Subject { get; init; }
    public string? Description { get; init; }
    public TaskState Status { get; init; } = TaskState.NotStarted;
    public TaskPriority Priority { get; init; } = TaskPriority.Normal;
    public DateOnly? StartDate { get; init; }
    public DateOnly? DueDate { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When to remind, as an instant (null = no reminder).</summary>
    public DateTimeOffset? ReminderAt { get; init; }

    public RecordKind Kind => RecordKind.Task;

    public bool IsCompleted => Status == TaskState.Completed;

    public void WriteContent(FingerprintWriter w) =>
        w.Add("subject", Subject).Add("description", Description).Add("status", Status).Add("priority", Priority)
            .Add("start", StartDate).Add("due", DueDate)
            // Completion time is derived on some servers (set to "now" on completion); the date is the stable part.
            .Add("completed", CompletedAt is { } c ? DateOnly.FromDateTime(c.UtcDateTime) : null)
            .Add("reminder", ReminderAt);
}
