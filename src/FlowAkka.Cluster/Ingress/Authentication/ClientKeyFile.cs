// A client key set kept in a file (FLOWAKKA_CLIENT_KEYS_FILE), re-read when it changes so keys rotate without a
// restart. A FileSystemWatcher marks it stale; a cheap stat every CheckInterval catches what watchers miss
// (bind mounts, Docker/Kubernetes secret swaps, exhausted inotify). A broken new file never replaces a good set.
using System.Diagnostics;
using Akka.Event;

namespace FlowAkka.Cluster.Ingress.Authentication;

public sealed class ClientKeyFile : IClientKeySource, IDisposable
{
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(1);

    private readonly ILoggingAdapter _log;
    private readonly long _checkIntervalTicks;
    private readonly FileSystemWatcher? _watcher;
    private readonly object _reloadGate = new();
    private volatile ClientKeySet _current;
    private volatile string? _lastError;
    private (DateTime WriteTime, long Length) _stamp;
    private long _nextCheck;
    private int _stale;
    private int _reloads;

    /// <summary>Reads the file now: a missing or invalid file at start is an error (throws), never an open door.</summary>
    /// <exception cref="ClientKeySetException">the file cannot be read or is not a valid key set.</exception>
    public ClientKeyFile(string path, ILoggingAdapter? log = null, TimeSpan? checkInterval = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        _log = log ?? NoLogger.Instance;
        _checkIntervalTicks = (long)((checkInterval ?? DefaultCheckInterval).TotalSeconds * Stopwatch.Frequency);
        _stamp = StampOf(Path);
        _current = Read(Path);
        _nextCheck = Stopwatch.GetTimestamp() + _checkIntervalTicks;
        try
        {
            _watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(Path)!, System.IO.Path.GetFileName(Path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => MarkStale();
            _watcher.Created += (_, _) => MarkStale();
            _watcher.Renamed += (_, _) => MarkStale();
            _watcher.Deleted += (_, _) => MarkStale();
            _watcher.Error += (_, _) => MarkStale();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            _watcher?.Dispose();
            _watcher = null;
            _log.Warning("Cannot watch {0} ({1}); client key changes are picked up by polling only", Path, e.Message);
        }
    }

    public string Path { get; }

    /// <summary>Why the last reload failed (the set in use is the previous one), or null.</summary>
    public string? LastError => _lastError;

    /// <summary>How many times a changed file was loaded successfully after the start.</summary>
    public int Reloads => Volatile.Read(ref _reloads);

    /// <summary>The key set in use; reloads first when the file is known or found to have changed.</summary>
    public ClientKeySet Current
    {
        get
        {
            var now = Stopwatch.GetTimestamp();
            if (Volatile.Read(ref _stale) != 0 || now >= Volatile.Read(ref _nextCheck))
                ReloadIfChanged(now);
            return _current;
        }
    }

    /// <summary>Checks the file now rather than at the next interval (tests, management).</summary>
    public void Refresh() => ReloadIfChanged(Stopwatch.GetTimestamp(), force: true);

    private void MarkStale() => Volatile.Write(ref _stale, 1);

    private void ReloadIfChanged(long now, bool force = false)
    {
        // One reloader at a time; the others go on with the set they have rather than wait on file I/O.
        if (!Monitor.TryEnter(_reloadGate))
            return;
        try
        {
            Volatile.Write(ref _nextCheck, now + _checkIntervalTicks);
            // A watcher event forces a read: file times are coarse (a jiffy), so a same-length rewrite within one
            // tick (a rotated key has the same length) would look unchanged to the stat check alone.
            force |= Interlocked.Exchange(ref _stale, 0) != 0;
            (DateTime, long) stamp;
            try
            {
                stamp = StampOf(Path);
            }
            catch (ClientKeySetException e)
            {
                Fail(e.Message);
                return;
            }
            // The stamp is taken before reading: a write that lands during the read changes it again, so the next
            // check reads once more instead of keeping a half-written file's failure.
            if (!force && stamp == _stamp)
                return;
            _stamp = stamp;
            try
            {
                var loaded = Read(Path);
                _current = loaded;
                _lastError = null;
                Interlocked.Increment(ref _reloads);
                _log.Info("Client keys reloaded from {0}: {1} clients", Path, loaded.Count);
            }
            catch (ClientKeySetException e)
            {
                Fail(e.Message);
            }
        }
        finally
        {
            Monitor.Exit(_reloadGate);
        }
    }

    private void Fail(string message)
    {
        if (_lastError != message)
            _log.Error("Client key file {0} is unusable, keeping the previous {1} clients: {2}", Path, _current.Count, message);
        _lastError = message;
    }

    private static (DateTime, long) StampOf(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new ClientKeySetException($"Client key file '{path}' does not exist.");
        return (info.LastWriteTimeUtc, info.Length);
    }

    /// <exception cref="ClientKeySetException">unreadable or invalid.</exception>
    public static ClientKeySet Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClientKeySetException($"Cannot read client key file '{path}': {e.Message}", e);
        }
        try
        {
            return ClientKeySet.Parse(bytes);
        }
        catch (ClientKeySetException e)
        {
            throw new ClientKeySetException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Replaces the file in one rename, so a running node never reads half of it. The file is created owner-only
    /// (0600) before any key is written into it.
    /// </summary>
    public static void Write(string path, ClientKeySet keys)
    {
        var full = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(keys.ToUtf8Json());
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Adds <paramref name="clientId"/> with a new random key, or replaces its key; creates the file if
    /// needed. Returns the new key (show it once: the file is the only other copy).</summary>
    public static byte[] AddOrRotate(string path, string clientId)
    {
        ClientKeySet.ValidateClientId(clientId);
        var existing = File.Exists(path) ? Read(path) : ClientKeySet.Empty;
        var key = ClientKeySet.GenerateKey();
        Write(path, existing.With(clientId, key));
        return key;
    }

    public void Dispose() => _watcher?.Dispose();
}
