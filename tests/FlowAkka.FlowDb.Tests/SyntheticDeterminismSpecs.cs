using FlowAkka.FlowDb.Synthetic;
using Xunit;

namespace FlowAkka.FlowDb.Tests;

/// <summary>Same options and seeds give identical data in separate databases; another seed gives other data.</summary>
public sealed class SyntheticDeterminismSpecs : IAsyncLifetime
{
    private readonly TestDatabase _first = new();
    private readonly TestDatabase _second = new();
    private readonly TestDatabase _otherSeed = new();

    public async Task InitializeAsync()
    {
        var generator = new SyntheticDataGenerator();
        try
        {
            // Different parallelism too: the result must not depend on how the loads are scheduled.
            await _first.InitializeAsync(() => generator.GenerateAsync(_first.Db, SmallCountryFixture.Small with { Parallelism = 2 }, null, default));
            await _second.InitializeAsync(() => generator.GenerateAsync(_second.Db, SmallCountryFixture.Small with { Parallelism = 1 }, null, default));
            await _otherSeed.InitializeAsync(() => generator.GenerateAsync(_otherSeed.Db, SmallCountryFixture.Small with { CallsSeed = 1 }, null, default));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _otherSeed.DisposeAsync();
    }

    [Fact]
    public async Task The_same_seeds_give_identical_tables()
    {
        foreach (var table in SyntheticDataGeneratorSpecs.Tables)
        {
            var a = await SyntheticDataGeneratorSpecs.ChecksumAsync(_first.Db, table);
            var b = await SyntheticDataGeneratorSpecs.ChecksumAsync(_second.Db, table);
            Assert.True(a == b, $"{table} differs between two runs with the same seeds");
            Assert.NotEqual("", a);
        }
    }

    [Fact]
    public async Task Another_calls_seed_changes_the_events_but_not_the_country()
    {
        Assert.NotEqual(await SyntheticDataGeneratorSpecs.ChecksumAsync(_first.Db, "SELECT * FROM events.calls"),
                        await SyntheticDataGeneratorSpecs.ChecksumAsync(_otherSeed.Db, "SELECT * FROM events.calls"));
        Assert.Equal(await SyntheticDataGeneratorSpecs.ChecksumAsync(_first.Db, "SELECT * FROM infrastructure.cells"),
                     await SyntheticDataGeneratorSpecs.ChecksumAsync(_otherSeed.Db, "SELECT * FROM infrastructure.cells"));
    }
}
