namespace Connector.Storage.Jobs;

public enum JobState { Pending, Running, Done, Failed }

/// <summary>A unit of durable work: what to do (<see cref="Kind"/> + <see cref="Payload"/>) and how it has gone so far.</summary>
public sealed record Job(long Id, string Kind, string Payload, string? OrderingKey, JobState State, int Attempts, int MaxAttempts,
    DateTime NextAttemptAt, string? LastError, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>A job to enqueue.</summary>
public sealed record NewJob(string Kind, string Payload, string? OrderingKey = null, string? DedupeKey = null, int MaxAttempts = 8,
    TimeSpan? Delay = null);
