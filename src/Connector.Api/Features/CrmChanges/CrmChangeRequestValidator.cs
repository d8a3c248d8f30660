using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation;

namespace Connector.Api.Features.CrmChanges;

public sealed partial class CrmChangeRequestValidator : AbstractValidator<CrmChangeRequest>
{
    public static readonly string[] ModuleNames = ["Events", "Calendar", "Contacts"];
    public static readonly string[] Operations = ["save", "delete"];

    public CrmChangeRequestValidator()
    {
        RuleFor(x => x.Module).Must(m => ModuleNames.Contains(m))
            .WithMessage("'module' must be Events, Calendar (tasks) or Contacts.");
        RuleFor(x => x.Crmid).NotNull().WithMessage("'crmid' is required.")
            .GreaterThan(0).WithMessage("'crmid' must be a positive record id.");
        RuleFor(x => x.Operation).Must(o => Operations.Contains(o))
            .WithMessage("'operation' must be save or delete.");
        RuleFor(x => x.Modifiedtime).Must(t => TryParseInstant(t, out _))
            .WithMessage("'modifiedtime' must be ISO 8601 with an offset, e.g. 2026-03-29T10:15:00+02:00.");
        RuleFor(x => x.ActingUser).NotNull().WithMessage("'actingUser' is required.")
            .GreaterThan(0).WithMessage("'actingUser' must be a CRM user id.");
    }

    /// <summary>Only ISO 8601 with an explicit offset (or Z): a local time would be ambiguous across zones and DST.</summary>
    public static bool TryParseInstant(string? value, out DateTimeOffset instant)
    {
        instant = default;
        return value is not null && IsoWithOffset().IsMatch(value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex IsoWithOffset();
}
