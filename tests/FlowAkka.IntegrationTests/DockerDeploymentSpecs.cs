// docker/ cannot be run here (no Docker engine), so its files are checked against the node itself: every variable
// a compose service sets must be one NodeSettingsReader reads, and the node's own reader must accept each node
// service's configuration (with its secrets and mounted files) and come out with a consistent cluster.
using FlowAkka.IntegrationTests.Support;
using FlowAkka.Node.Configuration;
using Xunit;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace FlowAkka.IntegrationTests;

public sealed class DockerDeploymentSpecs
{
    private static readonly string DockerDirectory = Path.Combine(TestEnvironment.RepositoryRoot, "docker");
    private static readonly string[] NodeServices = ["flowakka-1", "flowakka-2", "flowakka-3"];

    private static readonly Lazy<Dictionary<object, object>> Compose = new(() =>
    {
        using var reader = new StringReader(File.ReadAllText(Path.Combine(DockerDirectory, "docker-compose.yml")));
        // MergingParser resolves the `<<: *anchor` merge keys the file uses, as docker compose does.
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    });

    /// <summary>The variables the node reads, asked of NodeSettingsReader itself (it reads every one on each call),
    /// so a renamed or new variable needs no list kept in sync here.</summary>
    private static readonly Lazy<IReadOnlySet<string>> NodeVariables = new(() =>
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var empty = Directory.CreateTempSubdirectory("flowakka-nosecrets-");
        try
        {
            NodeSettingsReader.Read(new EnvironmentSource(name => { names.Add(name); return null; }, empty.FullName));
        }
        catch (ConfigurationException)
        {
            // expected: no password given
        }
        empty.Delete();
        return names;
    });

    private static Dictionary<object, object> Map(object node) => Assert.IsType<Dictionary<object, object>>(node);

    private static List<object> List(object node) => Assert.IsType<List<object>>(node);

    private static Dictionary<object, object> Service(string name) => Map(Map(Compose.Value["services"])[name]);

    private static Dictionary<string, string> EnvironmentOf(string service) =>
        Service(service).TryGetValue("environment", out var env)
            ? Map(env).ToDictionary(p => (string)p.Key, p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)!)
            : [];

    private static List<string> SecretsOf(string service) =>
        Service(service).TryGetValue("secrets", out var s) ? List(s).Select(x => (string)x).ToList() : [];

    [Fact]
    public void The_node_reads_a_known_set_of_variables()
    {
        // A sanity check of the discovery itself: the FlowKit names and our cluster names are all there.
        Assert.Superset(new HashSet<string>
        {
            "FLOWMACHINE_PORT", "FLOWDB_HOST", "FLOWDB_PORT", "FLOWMACHINE_FLOWDB_USER", "FLOWMACHINE_FLOWDB_PASSWORD", "REDIS_HOST",
            "REDIS_PORT", "REDIS_PASSWORD", "DB_CONNECTION_POOL_SIZE", "FLOWAKKA_SEED_NODES", "FLOWAKKA_HOSTNAME", "FLOWAKKA_PUBLIC_HOSTNAME",
            "FLOWAKKA_REMOTE_PORT", "FLOWAKKA_PBM_PORT",
        }, NodeVariables.Value.ToHashSet());
    }

    [Theory]
    [InlineData("flowakka-1")]
    [InlineData("flowakka-2")]
    [InlineData("flowakka-3")]
    public void A_node_service_configures_the_node_the_way_its_reader_understands(string service)
    {
        var environment = EnvironmentOf(service);
        Assert.DoesNotContain(environment.Keys, k => !NodeVariables.Value.Contains(k) && !k.StartsWith("DOTNET_", StringComparison.Ordinal));

        // Passwords are Docker secrets, never plain variables.
        var secrets = SecretsOf(service);
        Assert.Contains("FLOWMACHINE_FLOWDB_PASSWORD", secrets);
        Assert.Contains("REDIS_PASSWORD", secrets);
        Assert.DoesNotContain(environment.Keys, k => k.EndsWith("PASSWORD", StringComparison.Ordinal));
        Assert.All(secrets, s => Assert.Contains(s, NodeVariables.Value));

        var settings = ReadAsTheContainerWould(service, environment, secrets);

        // Reachable names: the other services, and this node's own service name as the address it advertises.
        var services = Map(Compose.Value["services"]).Keys.Cast<string>().ToHashSet();
        Assert.Contains(settings.FlowDbHost, services);
        Assert.Contains(settings.RedisHost, services);
        Assert.Equal(service, settings.Cluster.PublicHostname);
        Assert.Equal(service, (string)Service(service)["hostname"]);
        Assert.Equal("0.0.0.0", settings.Cluster.Hostname);
        Assert.Equal("flowmachine", settings.FlowDbUser);
        Assert.Equal("test-secret-REDIS_PASSWORD", settings.RedisPassword);
        Assert.Equal("test-secret-FLOWMACHINE_FLOWDB_PASSWORD", settings.FlowDbPassword);

        // Every seed is a node service at the remoting port that service really uses.
        Assert.NotEmpty(settings.Cluster.SeedNodes);
        foreach (var seed in settings.Cluster.SeedNodes)
        {
            var address = Akka.Actor.Address.Parse(seed);
            Assert.Equal("flowakka", address.System);
            Assert.Contains(address.Host, NodeServices);
            var seedSettings = ReadAsTheContainerWould(address.Host!, EnvironmentOf(address.Host!), SecretsOf(address.Host!));
            Assert.Equal(seedSettings.Cluster.RemotePort, address.Port);
        }

        // The published ports lead to the ZMQ and pbm ports the node listens on.
        var published = List(Service(service)["ports"]).Select(p => ((string)p).Split(':')[^1]).ToList();
        Assert.Contains(settings.FlowMachinePort.ToString(System.Globalization.CultureInfo.InvariantCulture), published);
        Assert.Contains(settings.PbmPort.ToString(System.Globalization.CultureInfo.InvariantCulture), published);
        // Coordinated shutdown (shard hand-off, leave) needs longer than docker's 10 s default.
        Assert.Equal("60s", (string)Service(service)["stop_grace_period"]);
    }

    [Fact]
    public void The_nodes_publish_distinct_host_ports_and_share_one_seed_list()
    {
        var hostPorts = NodeServices.SelectMany(s => List(Service(s)["ports"]).Select(p => string.Join(':', ((string)p).Split(':')[..^1])))
            .ToList();
        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());
        Assert.Single(NodeServices.Select(s => EnvironmentOf(s)["FLOWAKKA_SEED_NODES"]).Distinct());
    }

    [Fact]
    public void Redis_FlowDb_and_the_loader_are_configured_for_the_nodes()
    {
        var redis = Service("redis");
        var redisCommand = string.Join(' ', List(redis["command"]).Cast<string>());
        Assert.Contains("--appendonly yes", redisCommand);
        Assert.Contains("/run/secrets/REDIS_PASSWORD", redisCommand);
        Assert.Contains("REDIS_PASSWORD", SecretsOf("redis"));

        var flowdb = Service("flowdb");
        Assert.Equal("postgis/postgis:15-3.3", (string)flowdb["image"]);
        Assert.Equal("/run/secrets/POSTGRES_PASSWORD", EnvironmentOf("flowdb")["POSTGRES_PASSWORD_FILE"]);
        var init = List(flowdb["volumes"]).Cast<string>().Single(v => v.Contains("/docker-entrypoint-initdb.d/", StringComparison.Ordinal));
        var script = Path.GetFullPath(Path.Combine(DockerDirectory, init.Split(':')[0]));
        Assert.True(File.Exists(script), script);
        if (!OperatingSystem.IsWindows())
            Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
        Assert.Contains("/run/secrets/FLOWMACHINE_FLOWDB_PASSWORD", File.ReadAllText(script));

        var loader = Service("flowdb-init");
        Assert.Equal(["datagen", "--if-empty"], List(loader["command"]).Cast<string>());
        Assert.DoesNotContain(EnvironmentOf("flowdb-init").Keys, k => !NodeVariables.Value.Contains(k));
        Assert.Contains("FLOWMACHINE_FLOWDB_PASSWORD", SecretsOf("flowdb-init"));
        foreach (var node in NodeServices)
        {
            var dependsOn = Map(Service(node)["depends_on"]);
            Assert.Equal("service_completed_successfully", Map(dependsOn["flowdb-init"])["condition"]);
            Assert.Equal("service_healthy", Map(dependsOn["redis"])["condition"]);
        }

        // Every secret a service names is declared, from a file under docker/secrets/.
        var declared = Map(Compose.Value["secrets"]);
        foreach (var service in Map(Compose.Value["services"]).Keys.Cast<string>())
        {
            foreach (var secret in SecretsOf(service))
                Assert.StartsWith("./secrets/", (string)Map(declared[secret])["file"]);
        }
    }

    [Fact]
    public void The_image_runs_flowakka_serve_as_a_non_root_user_on_the_nodes_default_ports()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(DockerDirectory, "Dockerfile"));
        var finalStage = dockerfile.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/runtime:10.0", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(finalStage);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0", dockerfile.First(l => l.StartsWith("FROM", StringComparison.Ordinal)));

        var defaults = NodeSettingsReader.Read(new EnvironmentSource(
            name => name == "FLOWMACHINE_FLOWDB_PASSWORD" ? "x" : null, Directory.CreateTempSubdirectory("flowakka-nosecrets-").FullName));
        var exposed = finalStage.Single(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal)).Split(' ')[1..].Select(int.Parse).ToList();
        Assert.Equal([defaults.FlowMachinePort, defaults.PbmPort, defaults.Cluster.RemotePort], exposed);

        var user = finalStage.Single(l => l.StartsWith("USER ", StringComparison.Ordinal))[5..].Trim();
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);
        Assert.Equal("ENTRYPOINT [\"/app/flowakka\"]", finalStage.Single(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
        Assert.Equal("CMD [\"serve\"]", finalStage.Single(l => l.StartsWith("CMD", StringComparison.Ordinal)));

        // ENV names of the image are node variables too (continuation lines included).
        var envNames = string.Join(' ', finalStage.SkipWhile(l => !l.StartsWith("ENV ", StringComparison.Ordinal))
                .TakeWhile((l, i) => i == 0 || l.StartsWith(' '))).Replace("ENV ", "", StringComparison.Ordinal)
            .Split([' ', '\\'], StringSplitOptions.RemoveEmptyEntries).Select(a => a.Split('=')[0]).ToList();
        Assert.NotEmpty(envNames);
        Assert.All(envNames, name => Assert.True(NodeVariables.Value.Contains(name) || name.StartsWith("DOTNET_", StringComparison.Ordinal), name));
    }

    /// <summary>NodeSettingsReader over the service's environment, its secrets as files and its mounted configs at
    /// the paths the container sees them.</summary>
    private static NodeSettings ReadAsTheContainerWould(string service, Dictionary<string, string> environment, List<string> secrets)
    {
        var secretsDir = Directory.CreateTempSubdirectory("flowakka-secrets-");
        try
        {
            foreach (var secret in secrets) File.WriteAllText(Path.Combine(secretsDir.FullName, secret), $"test-secret-{secret}\n");
            var mounts = Service(service).TryGetValue("configs", out var configs)
                ? List(configs).Select(Map).ToDictionary(c => (string)c["target"],
                    c => Path.GetFullPath(Path.Combine(DockerDirectory, (string)Map(Map(Compose.Value["configs"])[(string)c["source"]])["file"])))
                : [];
            return NodeSettingsReader.Read(new EnvironmentSource(
                name => environment.TryGetValue(name, out var value) ? mounts.GetValueOrDefault(value, value) : null, secretsDir.FullName));
        }
        finally
        {
            secretsDir.Delete(recursive: true);
        }
    }
}
