using Connector.Storage.Jobs;

namespace Connector.Api.Workers;

/// <summary>
/// Does the work of one job kind. Handlers must be idempotent: a job can run again after a crash or a lapsed lease.
/// Throw <see cref="JobRetryException"/> to say when to try again, <see cref="JobPermanentException"/> when retrying
/// cannot help (the item then waits for an admin).
/// </summary>
public interface IJobHandler
{
    string Kind { get; }

    Task HandleAsync(Job job, CancellationToken cancellationToken);
}

public sealed class JobRetryException(string message, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

public sealed class JobPermanentException(string message, Exception? inner = null) : Exception(message, inner);
