// The contract every benchmark implements: rows of "measured vs. a baseline measured in the same run".
namespace FlowAkka.Benchmarks;

/// <summary>One line of the results table. <see cref="Ratio"/> is measured / baseline (or baseline / measured for
/// latencies, as the benchmark documents in <see cref="Goal"/>); absolute values are printed but not trusted.</summary>
public sealed record BenchmarkRow(
    string Area,
    string Measure,
    string Measured,
    string Baseline,
    double Ratio,
    string Goal,
    bool MeetsGoal);

public sealed record BenchmarkContext(
    bool Quick,
    string RedisConfiguration,
    string FlowDbConnectionString,
    string FlowDbAdminConnectionString);

public interface IBenchmark
{
    /// <summary>Short name used by <c>--only NAME</c>.</summary>
    string Name { get; }

    Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken);
}
