using FlowAkka.FlowDb.Synthetic;
using Xunit;

namespace FlowAkka.FlowDb.Tests;

public sealed class DatagenOptionsSpecs
{
    [Fact]
    public void Defaults_follow_flowkit_generators()
    {
        var o = new DatagenOptions();

        Assert.Equal((4000, 1000, 200_000, 4000, 1000, 7, new DateOnly(2016, 1, 1), 12345L, 99999L, 22222L),
                     (o.NSubscribers, o.NCells, o.NCalls, o.NTacs, o.NSites, o.NDays, o.StartDate, o.SubscribersSeed, o.CellsSeed, o.CallsSeed));
        o.Validate();
    }

    [Theory]
    [InlineData("NSubscribers")]
    [InlineData("NDays")]
    [InlineData("CountryCode")]
    [InlineData("Box")]
    public void Out_of_range_values_are_clear_errors(string what)
    {
        var o = what switch
        {
            "NSubscribers" => new DatagenOptions { NSubscribers = 1 },
            "NDays" => new DatagenOptions { NDays = 0 },
            "CountryCode" => new DatagenOptions { CountryCode = "np'l" },
            _ => new DatagenOptions { MinLon = 90, MaxLon = 80 },
        };

        var error = Assert.Throws<ArgumentException>(o.Validate);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
