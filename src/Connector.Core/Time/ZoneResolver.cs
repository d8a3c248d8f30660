namespace Connector.Core.Time;

/// <summary>How a zone named by Exchange (or the CRM) was understood.</summary>
public enum ZoneSource { Iana, Windows, Rules, Fallback }

/// <summary>A resolved zone: the zone itself, the IANA id the connector stores, and how it was found.</summary>
public sealed record ResolvedZone(TimeZoneInfo Zone, string IanaId, ZoneSource Source);

public static class ZoneResolver
{
    /// <summary>
    /// Understands a zone named by an id (IANA or Windows), falling back to its rules when the id is unknown (custom
    /// zones, localised display names), and finally to <paramref name="fallbackIana"/> (e.g. the user's or the
    /// server's zone). A rules-only zone has no IANA id: <see cref="ResolvedZone.IanaId"/> is then the IANA zone
    /// with the same offsets this year if one is known among <paramref name="candidates"/>, else a fixed "Etc/GMT±n"
    /// (no DST) or the custom id. <paramref name="year"/> is the year the twin must agree in (pass the current year).
    /// </summary>
    public static ResolvedZone Resolve(string? id, ZoneRules? rules, int year, string fallbackIana = "UTC", IEnumerable<string>? candidates = null)
    {
        if (!string.IsNullOrWhiteSpace(id))
        {
            var trimmed = id.Trim();
            if (Zones.WindowsToIana(trimmed) is { } fromWindows && Zones.Find(fromWindows) is { } w)
                return new(w, fromWindows, ZoneSource.Windows);
            if (TimeZoneInfo.TryConvertIanaIdToWindowsId(trimmed, out _) && Zones.Find(trimmed) is { } iana)
                return new(iana, Zones.Canonical(trimmed), ZoneSource.Iana);
            if (trimmed is "UTC" or "Etc/UTC") return new(TimeZoneInfo.Utc, "UTC", ZoneSource.Iana);
        }
        if (rules is not null)
        {
            var custom = rules.ToTimeZone(string.IsNullOrWhiteSpace(id) ? "Custom" : id.Trim());
            var twin = (candidates ?? []).Select(c => Zones.Find(c) is { } z ? (c, z) : default).Where(t => t.z is not null)
                .FirstOrDefault(t => SameRulesIn(year, custom, t.z!));
            if (twin.c is not null) return new(custom, twin.c, ZoneSource.Rules);
            if (!rules.HasDaylightTime && rules.BaseOffset.Minutes == 0 && Math.Abs(rules.BaseOffset.Hours) <= 14)
            {
                var hours = -rules.BaseOffset.Hours; // Etc/GMT signs are inverted (Etc/GMT-1 is UTC+1)
                var etc = hours == 0 ? "UTC" : $"Etc/GMT{(hours > 0 ? "+" : "-")}{Math.Abs(hours)}";
                return new(Zones.Find(etc) ?? custom, etc, ZoneSource.Rules);
            }
            return new(custom, custom.Id, ZoneSource.Rules);
        }
        var fallback = Zones.Find(fallbackIana) ?? TimeZoneInfo.Utc;
        return new(fallback, fallback == TimeZoneInfo.Utc ? "UTC" : fallbackIana, ZoneSource.Fallback);
    }

    // Compares offsets every hour of a year: enough to tell whether two zones agree then (including transition times).
    private static bool SameRulesIn(int year, TimeZoneInfo a, TimeZoneInfo b)
    {
        var start = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var hour = 0; hour < 366 * 24; hour++)
        {
            var t = start.AddHours(hour);
            if (a.GetUtcOffset(t) != b.GetUtcOffset(t)) return false;
        }
        return true;
    }
}
