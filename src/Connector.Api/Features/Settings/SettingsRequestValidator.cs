using System.Text.RegularExpressions;
using Connector.Api.Validation;
using Connector.Core.Settings;
using FluentValidation;

namespace Connector.Api.Features.Settings;

public sealed partial class SettingsRequestValidator : AbstractValidator<SettingsRequest>
{
    public SettingsRequestValidator()
    {
        RuleFor(x => x.ExchangeKind).NotNull().WithMessage("'exchangeKind' is required: microsoft365 or onPremises.");

        RuleFor(x => x.EwsUrl).NotEmpty().When(x => x.ExchangeKind == ExchangeKind.OnPremises)
            .WithMessage("'ewsUrl' is required for on-premises Exchange, e.g. https://mail.example.com/EWS/Exchange.asmx.");
        RuleFor(x => x.EwsUrl).SecureUrl();
        RuleFor(x => x.GraphBaseUrl).SecureUrl();
        RuleFor(x => x.AuthorityHost).Must(v => v is null || (Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme == "https"))
            .WithMessage("'authorityHost' must be an absolute https:// URL (MSAL accepts no other).");
        RuleFor(x => x.NotificationUrl).Must(v => v is null || (Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme == "https"))
            .WithMessage("'notificationUrl' must be a public https:// URL that Microsoft Graph can reach.");

        When(x => x.ExchangeKind == ExchangeKind.Microsoft365, () =>
        {
            RuleFor(x => x.TenantId).NotEmpty().WithMessage("'tenantId' is required for Microsoft 365.");
            RuleFor(x => x.ClientId).NotEmpty().WithMessage("'clientId' is required for Microsoft 365.");
        });
        RuleFor(x => x.TenantId).Must(v => v is null || Guid.TryParse(v, out _) || TenantName().IsMatch(v))
            .WithMessage("'tenantId' must be a directory GUID or a domain such as contoso.onmicrosoft.com.");
        RuleFor(x => x.ClientId).Must(v => v is null || Guid.TryParse(v, out _))
            .WithMessage("'clientId' must be the application (client) id, a GUID.");

        RuleFor(x => x.VtenextUrl).HttpUrl();
        RuleFor(x => x.VtenextUser).MaximumLength(255);
        RuleFor(x => x.ClientSecret).MaximumLength(1024);
        RuleFor(x => x.VtenextAccessKey).MaximumLength(255);
        RuleFor(x => x.ErrorCheckSchedule).Cron();
        RuleFor(x => x.UserInitSchedule).Cron();
        RuleFor(x => x.RecurrenceHorizonMonths).InclusiveBetween(1, 60);
    }

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$")]
    private static partial Regex TenantName();
}
