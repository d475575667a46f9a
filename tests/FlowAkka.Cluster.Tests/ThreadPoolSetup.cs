using System.Runtime.CompilerServices;

namespace FlowAkka.Testing;

internal static class ThreadPoolSetup
{
    /// <summary>Several nodes, their actors and blocking test clients share two cores in one process here: start
    /// with enough pool threads that a burst of blocked ones cannot starve the rest (the pool grows slowly).</summary>
    [ModuleInitializer]
    internal static void Initialize()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
