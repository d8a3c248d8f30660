namespace Connector.Core.Recurrence;

/// <summary>How a series ends: on a date, after a number of occurrences, or never.</summary>
public enum RangeType { EndDate, Numbered, NoEnd }

/// <summary>
/// The range of a series. <see cref="StartDate"/> is the first date (in the series' zone) the pattern may match;
/// <see cref="EndDate"/> is inclusive.
/// </summary>
public sealed record RecurrenceRange
{
    private RecurrenceRange(RangeType type, DateOnly startDate, DateOnly? endDate, int? numberOfOccurrences)
    {
        Type = type;
        StartDate = startDate;
        EndDate = endDate;
        NumberOfOccurrences = numberOfOccurrences;
    }

    public RangeType Type { get; }
    public DateOnly StartDate { get; }
    public DateOnly? EndDate { get; }
    public int? NumberOfOccurrences { get; }

    public static RecurrenceRange Until(DateOnly startDate, DateOnly endDate) =>
        endDate < startDate
            ? throw new ArgumentOutOfRangeException(nameof(endDate), endDate, "A series cannot end before it starts.")
            : new(RangeType.EndDate, startDate, endDate, null);

    public static RecurrenceRange Numbered(DateOnly startDate, int occurrences) =>
        occurrences < 1
            ? throw new ArgumentOutOfRangeException(nameof(occurrences), occurrences, "A numbered series has at least one occurrence.")
            : new(RangeType.Numbered, startDate, null, occurrences);

    public static RecurrenceRange NoEnd(DateOnly startDate) => new(RangeType.NoEnd, startDate, null, null);

    public override string ToString() => Type switch
    {
        RangeType.EndDate => $"from {StartDate:yyyy-MM-dd} until {EndDate:yyyy-MM-dd}",
        RangeType.Numbered => $"from {StartDate:yyyy-MM-dd}, {NumberOfOccurrences} times",
        _ => $"from {StartDate:yyyy-MM-dd}, no end",
    };
}
