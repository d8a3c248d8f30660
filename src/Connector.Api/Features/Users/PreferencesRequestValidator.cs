using Connector.Core.Users;
using FluentValidation;

namespace Connector.Api.Features.Users;

public sealed class PreferencesRequestValidator : AbstractValidator<PreferencesRequest>
{
    public PreferencesRequestValidator()
    {
        RuleFor(x => x.Enabled).NotNull().WithMessage("'enabled' is required: true or false.");
        RuleFor(x => x.Mailbox).NotEmpty().When(x => x.Enabled == true)
            .WithMessage("'mailbox' is required to enable synchronisation.");
        RuleFor(x => x.Mailbox).Must(BeSmtpAddress).MaximumLength(320)
            .When(x => !string.IsNullOrEmpty(x.Mailbox)).WithMessage("'mailbox' must be an e-mail address such as anna@example.com.");
        RuleFor(x => x.AuthMethod).NotNull().When(x => x.Enabled == true)
            .WithMessage("'authMethod' is required: oauthDelegated, application, ntlm or basic.");
        RuleFor(x => x.Username).NotEmpty().When(x => x.AuthMethod is { } m && UserPreferences.UsesPassword(m))
            .WithMessage("'username' is required for NTLM and Basic sign-in.");
        RuleFor(x => x.Username).MaximumLength(255);
        RuleFor(x => x.Password).MaximumLength(1024);
    }

    private static bool BeSmtpAddress(string? value) =>
        System.Net.Mail.MailAddress.TryCreate(value, out var address) && address.Address == value?.Trim() && address.Host.Contains('.');
}
