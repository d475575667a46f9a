// SQL expression builders for deterministic pseudo-random values computed inside PostgreSQL.
namespace FlowAkka.FlowDb.Synthetic;

/// <summary>
/// Pseudo-random values as pure functions of (seed, stream, key), built on PostgreSQL's <c>hashint8extended</c>,
/// which is the portable hash behind hash partitioning: the same inputs give the same value on every server, in
/// every plan shape (unlike setseed()+random(), which depends on row order and breaks under parallel plans).
/// The expressions only embed parameter names and constants from this library, never user text.
/// </summary>
internal static class SqlRandom
{
    /// <summary>Uniform double in [0, 1) from 52 hash bits; <paramref name="seedParam"/> names a bigint parameter.</summary>
    public static string U(string seedParam, int stream, string key) =>
        $"((hashint8extended(({key})::bigint, {seedParam} * 1000 + {stream}) & 4503599627370495)::float8 / 4503599627370496.0)";

    /// <summary>Integer in [1, n] (n is an SQL expression).</summary>
    public static string Pick(string seedParam, int stream, string key, string n) =>
        $"(1 + floor({U(seedParam, stream, key)} * ({n}))::bigint)";

    /// <summary>
    /// A 10-hex-digit identifier that is a bijection of the key for 0 &lt;= key &lt; 5e9: odd multiplier modulo 2^40,
    /// xor with a seed-derived mask, xorshift, odd multiplier again (each step invertible on 40 bits, none overflows
    /// 64-bit arithmetic), so distinct keys never collide yet ids look random.
    /// </summary>
    public static string Hex(string key, string mixParam)
    {
        var x1 = $"(((({key})::bigint * 1640531527) # {mixParam}) & 1099511627775)";
        return $"lpad(to_hex((({x1} # ({x1} >> 20)) * 6700417) & 1099511627775), 10, '0')";
    }

    /// <summary>Seed-derived 40-bit xor mask for <see cref="Hex"/> (SplitMix64 finaliser; salt separates id kinds).</summary>
    public static long Mix(long seed, long salt)
    {
        unchecked
        {
            var z = (ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(salt + 1);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (long)(z & 0xFFFFFFFFFFUL);
        }
    }

    private const string Syllables =
        "(ARRAY['ka','ri','ma','lo','na','pa','the','su','bhi','go','ra','ja','ti','ne','sa','ku','dha','lu','ba','mi'])";

    /// <summary>A made-up place name of two or three syllables.</summary>
    public static string Name(string seedParam, int stream, string key) =>
        $"initcap({Syllables}[{Pick(seedParam, stream, key, "20")}] || {Syllables}[{Pick(seedParam, stream + 1, key, "20")}]"
        + $" || CASE WHEN {U(seedParam, stream + 2, key)} < 0.5 THEN {Syllables}[{Pick(seedParam, stream + 3, key, "20")}] ELSE '' END)";
}
