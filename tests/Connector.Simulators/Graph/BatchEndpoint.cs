using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Connector.Exchange.Common.Tls;
using Connector.Exchange.Graph.Models;
using Connector.Simulators.Tls;

namespace Connector.Simulators.Graph;

/// <summary>
/// <c>POST /v1.0/$batch</c>: up to 20 requests, each executed against this simulator in order (through its own
/// HTTP endpoint, so every rule — auth, faults, throttling — applies per inner request, as in Graph, where inner
/// requests can individually answer 429).
/// </summary>
public static class BatchEndpoint
{
    public static void MapBatch(this RouteGroupBuilder v1)
    {
        v1.MapPost("/$batch", async (HttpContext http, SimulatorTls tls) =>
        {
            var (body, error) = await http.ReadBody<BatchRequest>();
            if (error is not null) return error;
            if (body!.Requests.Count is 0 or > BatchRequest.MaxRequests)
                return GraphErrors.BadRequest($"The number of requests in a batch must be between 1 and {BatchRequest.MaxRequests}.", "BadRequest");
            if (body.Requests.Select(r => r.Id).Distinct().Count() != body.Requests.Count)
                return GraphErrors.BadRequest("Batch request ids must be unique.", "BadRequest");

            using var client = SelfClient(http, tls);
            var responses = new List<BatchResponseItem>();
            foreach (var item in body.Requests)
            {
                using var request = new HttpRequestMessage(new HttpMethod(item.Method), "v1.0/" + item.Url.TrimStart('/'));
                request.Headers.Authorization = AuthenticationHeaderValue.Parse(http.Request.Headers.Authorization.ToString());
                foreach (var prefer in http.Request.Headers["Prefer"]) request.Headers.TryAddWithoutValidation("Prefer", prefer);
                foreach (var (name, value) in item.Headers ?? [])
                    if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) request.Headers.TryAddWithoutValidation(name, value);
                if (item.Body is { } json) request.Content = new StringContent(json.GetRawText(), Encoding.UTF8, "application/json");
                using var response = await client.SendAsync(request, http.RequestAborted);
                var text = await response.Content.ReadAsStringAsync(http.RequestAborted);
                var headers = new Dictionary<string, string>();
                if (response.Headers.RetryAfter?.Delta is { } retry) headers["Retry-After"] = ((int)retry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (response.Content.Headers.ContentType is { } type) headers["Content-Type"] = type.ToString();
                responses.Add(new BatchResponseItem
                {
                    Id = item.Id, Status = (int)response.StatusCode, Headers = headers,
                    Body = text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonDocument.Parse(text).RootElement.Clone() : null,
                });
            }
            return GraphHttp.Json(new BatchResponse { Responses = responses });
        });
    }

    private static HttpClient SelfClient(HttpContext http, SimulatorTls tls) =>
        new(TrustedHttp.CreateHandler(ExtraCaTrust.FromCertificates(tls.Authority.Certificate)))
        {
            BaseAddress = new Uri($"{http.Request.Scheme}://{http.Request.Host}/"),
        };
}
