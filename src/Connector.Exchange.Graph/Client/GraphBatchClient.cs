using System.Net;
using Connector.Exchange.Graph.Http;
using Connector.Exchange.Graph.Models;

namespace Connector.Exchange.Graph.Client;

/// <summary>
/// JSON batching: any number of requests sent in batches of at most 20. Inner requests that answer 429/503/504 are
/// sent again in a later batch after the longest Retry-After among them, so one throttled item neither fails the
/// whole set nor repeats the ones that succeeded.
/// </summary>
public sealed class GraphBatchClient(GraphTransport transport, IAccessTokenSource tokens, string mailbox, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>How many HTTP batch calls were made (for request-count budgets).</summary>
    public int BatchCalls { get; private set; }

    public async Task<IReadOnlyDictionary<string, BatchResponseItem>> SendAsync(IReadOnlyList<BatchRequestItem> requests, CancellationToken ct = default)
    {
        var results = new Dictionary<string, BatchResponseItem>();
        var pending = new Queue<BatchRequestItem>(requests);
        for (var round = 0; pending.Count > 0; round++)
        {
            var retry = new List<BatchRequestItem>();
            var wait = TimeSpan.Zero;
            while (pending.Count > 0)
            {
                var chunk = new List<BatchRequestItem>();
                while (chunk.Count < BatchRequest.MaxRequests && pending.Count > 0) chunk.Add(pending.Dequeue());
                var response = await transport.SendJsonAsync<BatchResponse>(mailbox, tokens, HttpMethod.Post, "$batch", new BatchRequest { Requests = chunk }, ct);
                BatchCalls++;
                foreach (var item in response.Responses)
                {
                    if (GraphTransport.IsTransient((HttpStatusCode)item.Status) && round < transport.Options.MaxRetries)
                    {
                        retry.Add(chunk.First(r => r.Id == item.Id));
                        if (item.Headers?.GetValueOrDefault("Retry-After") is { } s && int.TryParse(s, out var seconds) && TimeSpan.FromSeconds(seconds) > wait)
                            wait = TimeSpan.FromSeconds(seconds);
                    }
                    else results[item.Id] = item;
                }
            }
            if (retry.Count == 0) break;
            await Task.Delay(wait == TimeSpan.Zero ? transport.Options.BaseDelay : wait, _time, ct);
            foreach (var r in retry) pending.Enqueue(r);
        }
        return results;
    }
}
