using FluentValidation;

namespace Connector.Api.Features.OAuth;

/// <summary>Start a Microsoft 365 sign-in; <c>redirectUri</c> is the bridge's callback page the pop-up returns to.</summary>
public sealed record OAuthStartRequest(string? RedirectUri);

public sealed record OAuthStartResponse(string AuthorizationUrl, string State, DateTime ExpiresAt);

/// <summary>What the callback page received from the authority.</summary>
public sealed record OAuthCallbackRequest(string? Code, string? State);

public sealed record OAuthCallbackResponse(int CrmUserId, string? Account, string State);

public sealed class OAuthStartRequestValidator : AbstractValidator<OAuthStartRequest>
{
    public OAuthStartRequestValidator()
    {
        RuleFor(x => x.RedirectUri).NotEmpty().WithMessage("'redirectUri' is required: the bridge's OAuth callback page.")
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback && uri.Scheme == Uri.UriSchemeHttp))
            .When(x => !string.IsNullOrEmpty(x.RedirectUri))
            .WithMessage("'redirectUri' must be an absolute https URL (http only for localhost).")
            .MaximumLength(2048);
    }
}

public sealed class OAuthCallbackRequestValidator : AbstractValidator<OAuthCallbackRequest>
{
    public OAuthCallbackRequestValidator()
    {
        RuleFor(x => x.Code).NotEmpty().WithMessage("'code' is required: the authorization code from the sign-in pop-up.").MaximumLength(8192);
        RuleFor(x => x.State).NotEmpty().WithMessage("'state' is required: the value returned by /oauth/start.").MaximumLength(64);
    }
}
