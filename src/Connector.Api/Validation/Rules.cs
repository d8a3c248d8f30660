using System.Net;
using Connector.Core.Scheduling;
using FluentValidation;

namespace Connector.Api.Validation;

/// <summary>Field rules shared by several validators.</summary>
public static class Rules
{
    /// <summary>An absolute https URL; plain http only towards loopback (the simulators, a local vtenext).</summary>
    public static IRuleBuilderOptions<T, string?> SecureUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(BeSecureUrl).WithMessage("'{PropertyName}' must be an absolute https:// URL (http:// is accepted only for loopback).");

    public static IRuleBuilderOptions<T, string?> HttpUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || (Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
            .WithMessage("'{PropertyName}' must be an absolute http:// or https:// URL.");

    public static IRuleBuilderOptions<T, string?> Cron<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || CronSchedule.TryParse(v, out CronSchedule? _, out string? _))
            .WithMessage((_, v) => CronSchedule.TryParse(v, out CronSchedule? _, out var error) ? "" : error!);

    public static bool BeSecureUrl(string? value)
    {
        if (value is null) return true;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)) return false;
        return uri.Scheme == "https" || (uri.Scheme == "http" && IsLoopback(uri.Host));
    }

    public static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
