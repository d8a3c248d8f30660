using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Items;

/// <summary>How one item type maps onto the wire: its element name, writable fields and parser.</summary>
internal sealed record ItemKind<T>(string Element, Func<T, IEnumerable<ItemField>> Fields, Func<XElement, T> Parse,
    Func<ExchangeVersion, IEnumerable<XElement>> ExtraProperties);

internal static class ItemKinds
{
    public static readonly ItemKind<CalendarEvent> Calendar = new("CalendarItem", e => e.Fields(), CalendarEvent.Parse,
        version => version >= ExchangeVersion.Exchange2013_SP1
            ? [ItemField.Uri("calendar:IsOrganizer", null).Path, .. SeriesProperties()]
            : SeriesProperties());

    // The series' zone is not part of AllProperties on every version; ask for it (and the occurrence's original start).
    private static IEnumerable<XElement> SeriesProperties() =>
    [
        ItemField.Uri("calendar:UID", null).Path, ItemField.Uri("calendar:OriginalStart", null).Path,
        ItemField.Uri("calendar:StartTimeZone", null).Path, SeriesZoneProperty.FieldUri(),
    ];

    /// <summary>One occurrence of a series: only what an exception may differ in is written.</summary>
    public static readonly ItemKind<CalendarEvent> CalendarOccurrence = Calendar with { Fields = e => e.OccurrenceFields() };

    public static readonly ItemKind<TaskItem> Task = new("Task", t => t.Fields(), TaskItem.Parse, _ => []);

    public static readonly ItemKind<ContactItem> Contact = new("Contact", c => c.Fields(), ContactItem.Parse, _ => []);
}
