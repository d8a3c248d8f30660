using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Connector.Core.Sync;

/// <summary>
/// A stable hash of an entity's content (SHA-256, hex). Equal content read from either side gives the same
/// fingerprint; it is stored with each link so that reading back our own write is recognised as no change.
/// </summary>
public readonly record struct Fingerprint(string Value)
{
    public static Fingerprint Of(ISyncEntity entity)
    {
        var writer = new FingerprintWriter();
        writer.Add("kind", entity.Kind);
        entity.WriteContent(writer);
        return new(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(writer.ToString()))));
    }

    public override string ToString() => Value;
}

/// <summary>
/// Builds the canonical text a fingerprint hashes: one "name=value" line per field, text trimmed with line
/// endings unified, empty text treated as absent, invariant culture for numbers and dates.
/// </summary>
public sealed class FingerprintWriter
{
    private readonly StringBuilder _text = new();

    public FingerprintWriter Add(string name, object? value)
    {
        var canonical = value switch
        {
            null => null,
            string s => Normalise(s),
            DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        if (canonical is not null)
            _text.Append(name).Append('=').Append(canonical.Replace("\n", "\\n")).Append('\n');
        return this;
    }

    private static string? Normalise(string s)
    {
        var text = s.Replace("\r\n", "\n").Replace('\r', '\n').Trim();
        return text.Length == 0 ? null : text;
    }

    public override string ToString() => _text.ToString();
}
