// `./build.sh bench [--quick] [--only NAME]`: runs every IBenchmark in this assembly and prints one Markdown table,
// also written to benchmarks/results/latest.md with machine, commit and date.
using System.Diagnostics;
using System.Reflection;
using System.Text;
using FlowAkka.Benchmarks;
using FlowAkka.Benchmarks.Support;

var quick = args.Contains("--quick");
var onlyIndex = Array.IndexOf(args, "--only");
var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1] : null;

string Env(string name, string fallback) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;

var redisPassword = Env("REDIS_PASSWORD", "");
var redis = $"{Env("REDIS_HOST", "127.0.0.1")}:{Env("REDIS_PORT", "6379")},abortConnect=false"
            + (redisPassword.Length > 0 ? $",password={redisPassword}" : "");
var pgHost = Env("FLOWDB_HOST", "127.0.0.1");
var pgPort = Env("FLOWDB_PORT", "9000");
var context = new BenchmarkContext(
    quick,
    redis,
    $"Host={pgHost};Port={pgPort};Database=flowdb;Username={Env("FLOWMACHINE_FLOWDB_USER", "flowmachine")};Password={Env("FLOWMACHINE_FLOWDB_PASSWORD", "flowmachine")}",
    $"Host={pgHost};Port={pgPort};Database=postgres;Username=postgres");

var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .Where(b => only is null || string.Equals(b.Name, only, StringComparison.OrdinalIgnoreCase))
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var rows = new List<BenchmarkRow>();
var total = Stopwatch.StartNew();
foreach (var benchmark in benchmarks)
{
    Console.Error.WriteLine($"== {benchmark.Name}");
    var clock = Stopwatch.StartNew();
    try
    {
        rows.AddRange(await benchmark.RunAsync(context, CancellationToken.None));
    }
    catch (Exception e)
    {
        Console.Error.WriteLine(e);
        rows.Add(new BenchmarkRow(benchmark.Name, "(failed)", e.GetType().Name, e.Message.ReplaceLineEndings(" "), double.NaN, "-", false));
    }
    Console.Error.WriteLine($"   {benchmark.Name} took {clock.Elapsed.TotalSeconds:0} s");
}
// The generated dataset outlives single benchmarks (several share it): drop it once all have run.
await SharedDataset.DisposeAsync();

var table = new StringBuilder();
table.AppendLine($"# FlowAkka benchmarks{(quick ? " (--quick)" : "")}");
table.AppendLine();
table.AppendLine($"- machine: {Environment.MachineName}, {Environment.ProcessorCount} cores, {RuntimeDescription()}");
table.AppendLine($"- commit: {Git("rev-parse --short HEAD")}");
table.AppendLine($"- date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, whole run {total.Elapsed.TotalSeconds:0} s");
table.AppendLine();
table.AppendLine("| area | measure | measured | baseline (same run) | ratio | goal | meets goal |");
table.AppendLine("|---|---|---|---|---|---|---|");
foreach (var r in rows)
{
    table.AppendLine($"| {r.Area} | {r.Measure} | {r.Measured} | {r.Baseline} | {(double.IsNaN(r.Ratio) ? "-" : r.Ratio.ToString("0.00"))} | {r.Goal} | {(r.MeetsGoal ? "yes" : "no")} |");
}

Console.WriteLine(table);
var resultsDir = Path.Combine(FindRepoRoot(), "benchmarks", "results");
Directory.CreateDirectory(resultsDir);
await File.WriteAllTextAsync(Path.Combine(resultsDir, "latest.md"), table.ToString());
return 0;

static string RuntimeDescription() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

static string Git(string arguments)
{
    try
    {
        var p = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return output.Length > 0 ? output : "unknown";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "unknown";
    }
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FlowAkka.sln"))) dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
