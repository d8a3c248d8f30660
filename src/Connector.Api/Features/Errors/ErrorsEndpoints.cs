using Connector.Api.Security;
using Connector.Api.Workers;
using Connector.Storage.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Connector.Api.Features.Errors;

/// <summary>Items that kept failing, for the admin to see and retry. Admins only.</summary>
public static class ErrorsEndpoints
{
    public static RouteGroupBuilder MapErrors(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/errors").WithTags("Errors").RequireAuthorization(SecurityServices.AdminPolicy);
        group.MapGet("/", ListAsync).WithName("ListErrors").WithSummary("Items that failed every attempt, newest first.");
        group.MapPost("/{id:long}/retry", RetryAsync).WithName("RetryError").WithSummary("Queue a failed item again, now.");
        return group;
    }

    private static async Task<Ok<FailedItem[]>> ListAsync(JobQueue queue, CancellationToken ct) =>
        TypedResults.Ok((await queue.ListFailedAsync(cancellationToken: ct)).Select(FailedItem.From).ToArray());

    private static async Task<Results<Accepted, ProblemHttpResult>> RetryAsync(long id, JobQueue queue, JobSignal signal, CancellationToken ct)
    {
        if (!await queue.RetryAsync(id, ct))
            return TypedResults.Problem($"There is no failed item {id}.", statusCode: 404, title: "Not found");
        signal.Notify();
        return TypedResults.Accepted((string?)null);
    }
}

/// <summary>A failed item as the control panel lists it.</summary>
public sealed record FailedItem(long Id, string Kind, string Payload, int Attempts, string? LastError, DateTime FirstSeenAt, DateTime FailedAt)
{
    public static FailedItem From(Job job) => new(job.Id, job.Kind, job.Payload, job.Attempts, job.LastError, job.CreatedAt, job.UpdatedAt);
}
