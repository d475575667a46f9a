// The aggregation units FlowKit exposes and the location columns each one produces.
namespace FlowAkka.Queries.Fields;

public sealed record SpatialUnit
{
    public static readonly IReadOnlyList<string> Names = ["admin0", "admin1", "admin2", "admin3", "lon-lat"];

    private SpatialUnit(string name, int? adminLevel)
    {
        Name = name;
        AdminLevel = adminLevel;
        LocationColumns = adminLevel is null ? ["lon", "lat"] : ["pcod"];
    }

    /// <summary>admin0..admin3 or lon-lat.</summary>
    public string Name { get; }

    /// <summary>0..3 for admin units, null for lon-lat.</summary>
    public int? AdminLevel { get; }

    public IReadOnlyList<string> LocationColumns { get; }

    public bool IsLonLat => AdminLevel is null;

    public static SpatialUnit? Parse(string? name) => name switch
    {
        "admin0" => new SpatialUnit(name, 0),
        "admin1" => new SpatialUnit(name, 1),
        "admin2" => new SpatialUnit(name, 2),
        "admin3" => new SpatialUnit(name, 3),
        "lon-lat" => new SpatialUnit(name, null),
        _ => null,
    };

    /// <summary>Location columns renamed with a suffix, e.g. pcod_from.</summary>
    public IReadOnlyList<string> SuffixedColumns(string suffix) =>
        LocationColumns.Select(c => $"{c}_{suffix}").ToArray();
}
