// Value types produced by the shared fields (event types, hours, sampling, dates, statistics).
namespace FlowAkka.Queries.Fields;

/// <summary>A validated hour-of-day window; start > end wraps over midnight.</summary>
public sealed record HoursWindow(int StartHour, int EndHour);

/// <summary>A validated random sample of subscribers.</summary>
public sealed record Sampling(string Method, double Seed, long? Size, double? Fraction, bool EstimateCount)
{
    public static readonly IReadOnlyList<string> Methods = ["system", "bernoulli", "random_ids"];
}

/// <summary>Event window shared by every kind that reads events.</summary>
public sealed record EventWindow(
    DateTime Start,
    DateTime End,
    IReadOnlyList<string>? EventTypes,
    HoursWindow? Hours,
    StoredQueryReference? SubscriberSubset)
{
    public static readonly IReadOnlyList<string> AllEventTypes = ["calls", "sms", "mds", "topups"];

    /// <summary>The event tables read: null event_types means every table.</summary>
    public IReadOnlyList<string> Tables => EventTypes ?? AllEventTypes;
}

public static class Enums
{
    public static readonly IReadOnlyList<string> Statistics =
        ["avg", "max", "min", "median", "mode", "stddev", "variance", "count", "sum"];

    public static readonly IReadOnlyList<string> ContinuousMethods =
        ["avg", "max", "min", "median", "mode", "stddev", "variance"];

    public static readonly IReadOnlyList<string> JoinedSpatialAggregateMethods =
        ["avg", "max", "min", "median", "mode", "stddev", "variance", "count", "sum", "distr"];

    public static readonly IReadOnlyList<string> TotalBy = ["second", "minute", "hour", "day", "month", "year"];

    public static readonly IReadOnlyList<string> AggregateBy =
        ["second", "minute", "hour", "day", "month", "year", "century"];

    public static readonly IReadOnlyList<string> Direction = ["in", "out", "both"];

    public static readonly IReadOnlyList<string> LocationMethod = ["last", "most-common"];

    public static readonly IReadOnlyList<string> Interval = ["day", "hour", "min"];

    public static readonly IReadOnlyList<string> JoinTypes =
        ["inner", "full outer", "left", "right", "left outer", "right outer"];

    public static readonly IReadOnlyList<string> HandsetCharacteristics =
        ["brand", "model", "software_os_name", "software_os_vendor", "hnd_type"];

    public static readonly IReadOnlyList<string> PeriodUnits = ["days", "hours", "minutes"];
}
