// `flowakka datagen`: load a deterministic synthetic country into FlowDB, inside PostgreSQL, with a progress bar.
using System.CommandLine;
using System.Diagnostics;
using FlowAkka.FlowDb.Schema;
using FlowAkka.FlowDb.Synthetic;
using FlowAkka.Node.Configuration;
using Npgsql;

namespace FlowAkka.Node.Commands;

public static class DatagenCommand
{
    public static Command Create()
    {
        var defaults = new DatagenOptions();
        var subscribers = Int("--n-subscribers", "Subscribers.", defaults.NSubscribers);
        var cells = Int("--n-cells", "Cells.", defaults.NCells);
        var sites = Int("--n-sites", "Sites.", defaults.NSites);
        var tacs = Int("--n-tacs", "Handset TACs.", defaults.NTacs);
        var calls = Int("--n-calls", "Calls per day (each is an outgoing and an incoming row).", defaults.NCalls);
        var sms = Int("--n-sms", "SMS per day.", defaults.NSms);
        var mds = Int("--n-mds", "Mobile data sessions per day.", defaults.NMds);
        var topups = Int("--n-topups", "Top-ups per day.", defaults.NTopups);
        var days = Int("--n-days", "Days.", defaults.NDays);
        var start = new Option<DateOnly>("--start-date") { Description = "First day.", DefaultValueFactory = _ => defaults.StartDate };
        var subscribersSeed = Long("--subscribers-seed", defaults.SubscribersSeed);
        var cellsSeed = Long("--cells-seed", defaults.CellsSeed);
        var callsSeed = Long("--calls-seed", defaults.CallsSeed);
        var ifEmpty = new Option<bool>("--if-empty") { Description = "Do nothing when FlowDB already holds events (what `./build.sh run` uses)." };

        var command = new Command("datagen", "Create the FlowDB schema and load a seeded synthetic dataset into it.")
        {
            subscribers, cells, sites, tacs, calls, sms, mds, topups, days, start, subscribersSeed, cellsSeed, callsSeed, ifEmpty,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            NodeSettings settings;
            try
            {
                settings = NodeSettingsReader.Read(EnvironmentSource.Process());
            }
            catch (ConfigurationException e)
            {
                Console.Error.WriteLine($"flowakka: configuration error: {e.Message}");
                return 2;
            }
            var options = new DatagenOptions
            {
                NSubscribers = result.GetValue(subscribers), NCells = result.GetValue(cells), NSites = result.GetValue(sites),
                NTacs = result.GetValue(tacs), NCalls = result.GetValue(calls), NSms = result.GetValue(sms),
                NMds = result.GetValue(mds), NTopups = result.GetValue(topups), NDays = result.GetValue(days),
                StartDate = result.GetValue(start), SubscribersSeed = result.GetValue(subscribersSeed),
                CellsSeed = result.GetValue(cellsSeed), CallsSeed = result.GetValue(callsSeed),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"flowakka datagen: {e.Message}");
                return 2;
            }

            await using var db = NpgsqlDataSource.Create(settings.FlowDbConnectionString);
            await FlowDbSchema.EnsureAsync(db, cancellationToken);
            await CacheSchema.EnsureAsync(db, cancellationToken);
            if (result.GetValue(ifEmpty) && !await SyntheticDataGenerator.IsEmptyAsync(db, cancellationToken))
            {
                Console.Error.WriteLine("FlowDB already holds data; nothing loaded.");
                return 0;
            }
            var clock = Stopwatch.StartNew();
            await new SyntheticDataGenerator().GenerateAsync(db, options, new ProgressBar(), cancellationToken);
            Console.Error.WriteLine();
            Console.Error.WriteLine($"Loaded {options.NDays} days of {options.NCalls} calls/day for {options.NSubscribers} subscribers in {clock.Elapsed.TotalSeconds:0.0} s.");
            return 0;
        });
        return command;
    }

    private static Option<int> Int(string name, string description, int fallback) =>
        new(name) { Description = $"{description} (default {fallback})", DefaultValueFactory = _ => fallback };

    private static Option<long> Long(string name, long fallback) =>
        new(name) { Description = $"Seed (default {fallback}).", DefaultValueFactory = _ => fallback };

    /// <summary>One self-overwriting line on stderr: [#####.....] 42% step (elapsed).</summary>
    private sealed class ProgressBar : IProgress<DatagenProgress>
    {
        private readonly bool _interactive = !Console.IsErrorRedirected;
        private string _lastStep = "";

        public void Report(DatagenProgress value)
        {
            var fraction = value.Total == 0 ? 1.0 : Math.Clamp((double)value.Completed / value.Total, 0, 1);
            var filled = (int)Math.Round(fraction * 30);
            var line = $"[{new string('#', filled)}{new string('.', 30 - filled)}] {fraction * 100,3:0}% {value.Step} ({value.Elapsed.TotalSeconds:0.0} s)";
            if (_interactive) Console.Error.Write("\r" + line.PadRight(Math.Min(Console.BufferWidth - 1, 100)));
            else if (value.Step != _lastStep || value.Completed == value.Total) Console.Error.WriteLine(line);
            _lastStep = value.Step;
        }
    }
}
