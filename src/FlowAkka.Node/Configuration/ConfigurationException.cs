namespace FlowAkka.Node.Configuration;

/// <summary>A configuration value the node cannot start with. The message names the variable.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
