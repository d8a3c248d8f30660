using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Connector.Vtenext.Webservice;

/// <summary>A webservice id, <c>"&lt;ws entity id&gt;x&lt;crmid&gt;"</c> such as <c>31x4512</c>. The prefix differs
/// between installs: take it from <see cref="ModuleDescription.IdPrefix"/>.</summary>
public readonly record struct ElementId(int Prefix, int CrmId)
{
    public override string ToString() => $"{Prefix.ToString(CultureInfo.InvariantCulture)}x{CrmId.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out ElementId? id)
    {
        id = null;
        var parts = text?.Split('x');
        if (parts is not [var p, var c] || !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || !int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var crmId))
            return false;
        id = new ElementId(prefix, crmId);
        return true;
    }

    public static ElementId Parse(string text) =>
        TryParse(text, out var id) ? id.Value : throw new FormatException($"'{text}' is not a vtenext element id (like 31x4512).");
}
