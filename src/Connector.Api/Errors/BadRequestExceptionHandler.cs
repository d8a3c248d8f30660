using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Connector.Api.Errors;

/// <summary>
/// Turns request-reading failures into RFC 7807 problem details: a body that is not valid JSON for the endpoint
/// becomes a 400 naming the field at fault (including unknown fields), an oversized body a 413.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        ProblemDetails problem = bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => new ProblemDetails
            {
                Status = 413, Title = "Request body too large",
                Detail = "The request body is larger than the connector accepts (Connector:MaxRequestBodyBytes).",
            },
            _ when bad.InnerException is JsonException json => JsonProblem(json),
            _ => new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message },
        };
        context.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static HttpValidationProblemDetails JsonProblem(JsonException json)
    {
        var field = FieldOf(json);
        string message;
        if (UnmappedProperty().Match(json.Message) is { Success: true } unknown)
        {
            // The path already ends at the unknown property ("$.features.colour").
            message = $"Unknown field '{unknown.Groups[1].Value}'.";
        }
        else if (field.Length > 0)
            message = $"The value of '{field}' is not valid here{AllowedValues(json)}.";
        else
            message = "The request body is not valid JSON.";
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = 400, Title = "One or more validation errors occurred.",
        };
    }

    // "$.features.calendar" -> "features.calendar"; "$" -> "" (the body itself)
    private static string FieldOf(JsonException json) => (json.Path ?? "$").TrimStart('$').TrimStart('.');

    private static string AllowedValues(JsonException json) =>
        json.Message.Contains("could not be converted to") && EnumType().Match(json.Message) is { Success: true } m
            && Type.GetType(m.Groups[1].Value + ", Connector.Core") is { IsEnum: true } type
            ? ": expected one of " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName))
            : "";

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex(@"converted to (?:System\.Nullable`1\[)?([\w.]+)")]
    private static partial Regex EnumType();
}
