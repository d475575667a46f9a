// Where the integration tests find the flowakka executable and keep node logs.
namespace FlowAkka.IntegrationTests.Support;

public static class NodeBinaries
{
    /// <summary>.data/logs/integration: node logs of every run, kept for post-mortems.</summary>
    public static string LogDirectory(string run)
    {
        var dir = Path.Combine(FlowAkka.Testing.TestEnvironment.RepositoryRoot, ".data", "logs", "integration", run);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The flowakka executable the project reference copied beside the tests (with its hocon/ folder).</summary>
    public static string FlowAkkaDll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "flowakka.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("flowakka.dll is not beside the tests", dll);
        }
    }

}
