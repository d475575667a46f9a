// Knobs of the synthetic country generator; names and defaults follow FlowKit's synthetic data generators.
namespace FlowAkka.FlowDb.Synthetic;

/// <summary>
/// What to generate. Event counts are per day; calls and sms are stored in two-line form, so each call or sms
/// gives two rows. Defaults follow FlowKit's generators (4000 subscribers, 1000 cells, 200 000 calls a day, 7 days
/// from 2016-01-01, seeds 12345/99999/22222) except sms/mds/topups, which are smaller so the default load stays fast.
/// </summary>
public sealed record DatagenOptions
{
    public int NSubscribers { get; init; } = 4000;
    public int NCells { get; init; } = 1000;
    public int NSites { get; init; } = 1000;
    public int NTacs { get; init; } = 4000;
    public int NCalls { get; init; } = 200_000;
    public int NSms { get; init; } = 100_000;
    public int NMds { get; init; } = 50_000;
    public int NTopups { get; init; } = 10_000;
    public int NDays { get; init; } = 7;
    public DateOnly StartDate { get; init; } = new(2016, 1, 1);
    public long SubscribersSeed { get; init; } = 12345;
    public long CellsSeed { get; init; } = 99999;
    public long CallsSeed { get; init; } = 22222;

    /// <summary>Country the made-up geography stands for: ISO-3 code used as the admin0 pcode and pcode prefix.</summary>
    public string CountryCode { get; init; } = "NPL";
    public string CountryName { get; init; } = "Nepal";

    /// <summary>Bounding box of the country rectangle (WGS84); the default is Nepal's.</summary>
    public double MinLon { get; init; } = 80.06;
    public double MinLat { get; init; } = 26.35;
    public double MaxLon { get; init; } = 88.20;
    public double MaxLat { get; init; } = 30.45;

    /// <summary>Number of admin1 units (strips of the country).</summary>
    public int Admin1Count { get; init; } = 7;
    /// <summary>Each admin1 unit is split into Admin2Rows × Admin2Columns admin2 units.</summary>
    public int Admin2Rows { get; init; } = 2;
    public int Admin2Columns { get; init; } = 3;
    /// <summary>Each admin2 unit is split into Admin3Rows × Admin3Columns admin3 units.</summary>
    public int Admin3Rows { get; init; } = 3;
    public int Admin3Columns { get; init; } = 3;

    /// <summary>Share of admin3 units that get no site (and so no cell) at all.</summary>
    public double EmptyAdmin3Share { get; init; } = 0.12;

    /// <summary>Fill etl.post_etl_queries with QA checks computed from each loaded day.</summary>
    public bool QaChecks { get; init; } = true;

    /// <summary>How many (table, day) loads run at once, each on its own connection.</summary>
    public int Parallelism { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 2);

    /// <summary>Throws <see cref="ArgumentException"/> with a clear message when a value is out of range.</summary>
    public void Validate()
    {
        static void Range(string name, long value, long min, long max)
        {
            if (value < min || value > max)
            {
                throw new ArgumentException($"{name} must be between {min} and {max}, got {value}.");
            }
        }
        Range(nameof(NSubscribers), NSubscribers, 2, 100_000_000);
        Range(nameof(NCells), NCells, 1, 10_000_000);
        Range(nameof(NSites), NSites, 1, 10_000_000);
        Range(nameof(NTacs), NTacs, 1, 1_000_000);
        Range(nameof(NCalls), NCalls, 0, 100_000_000);
        Range(nameof(NSms), NSms, 0, 100_000_000);
        Range(nameof(NMds), NMds, 0, 100_000_000);
        Range(nameof(NTopups), NTopups, 0, 100_000_000);
        Range(nameof(NDays), NDays, 1, 3660);
        Range(nameof(Admin1Count), Admin1Count, 1, 100);
        Range(nameof(Admin2Rows), Admin2Rows, 1, 20);
        Range(nameof(Admin2Columns), Admin2Columns, 1, 20);
        Range(nameof(Admin3Rows), Admin3Rows, 1, 20);
        Range(nameof(Admin3Columns), Admin3Columns, 1, 20);
        Range(nameof(Parallelism), Parallelism, 1, 16);
        // Event ids are a bijection of (day, n) below 2^40 computed in 64-bit arithmetic.
        long maxPerDay = new[] { NCalls, NSms, NMds, NTopups }.Max();
        if ((long)NDays * maxPerDay >= 5_000_000_000L)
        {
            throw new ArgumentException("NDays × the largest per-day event count must stay below 5 000 000 000.");
        }
        if (EmptyAdmin3Share is < 0 or >= 1 || double.IsNaN(EmptyAdmin3Share))
        {
            throw new ArgumentException($"EmptyAdmin3Share must be in [0, 1), got {EmptyAdmin3Share}.");
        }
        if (!(MinLon < MaxLon && MinLat < MaxLat && MinLon >= -180 && MaxLon <= 180 && MinLat >= -90 && MaxLat <= 90))
        {
            throw new ArgumentException("The country box must satisfy -180 <= MinLon < MaxLon <= 180 and -90 <= MinLat < MaxLat <= 90.");
        }
        if (string.IsNullOrWhiteSpace(CountryCode) || CountryCode.Length > 8 || !CountryCode.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException($"CountryCode must be 1-8 upper-case ASCII letters, got '{CountryCode}'.");
        }
        if (string.IsNullOrWhiteSpace(CountryName))
        {
            throw new ArgumentException("CountryName must not be empty.");
        }
        if (StartDate.AddDays(NDays) > new DateOnly(9999, 1, 1))
        {
            throw new ArgumentException("StartDate + NDays is too far in the future.");
        }
    }
}

/// <summary>One step of a generation run: <paramref name="Completed"/> of <paramref name="Total"/> steps are done.</summary>
public sealed record DatagenProgress(string Step, int Completed, int Total, TimeSpan Elapsed)
{
    public double Fraction => Total == 0 ? 1 : (double)Completed / Total;
}
