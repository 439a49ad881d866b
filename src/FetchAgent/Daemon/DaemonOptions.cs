namespace FetchAgent.Daemon;

/// <summary>Configuration section <c>FetchAgent</c> (appsettings, environment <c>FetchAgent__…</c>, or the CLI).</summary>
public sealed class DaemonOptions
{
    public const string Section = "FetchAgent";
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>
    /// The database: a SQLite file's path, relative to the working directory, created if missing; or a PostgreSQL
    /// connection string (<c>Host=…;Database=…</c> or <c>postgresql://user:password@host:port/database</c>) that
    /// several agents share.
    /// </summary>
    public string Database { get; set; } = Path.Combine("data", "fetchagent.db");

    /// <summary>
    /// Page loads that run at the same time. One, like a WebPageTest agent: loads sharing the cores inflate
    /// each other's phases (each document records how many ran beside it in <c>concurrentLoads</c>).
    /// </summary>
    public int MaxConcurrentLoads { get; set; } = 1;

    /// <summary>
    /// 256 MiB: what running loads may hold, together, in bodies kept for discovery. Each load reserves its page's
    /// budget (<see cref="FetchAgent.Engine.Page.PageMemoryLimits.DefaultPageBudgetBytes"/>, 32 MiB) when its turn
    /// comes and waits, first come first served, while that does not fit: eight loads at their worst at once.
    /// </summary>
    public long MemoryBudgetBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Loads accepted but waiting for a turn; past it the API answers 503 with Retry-After.</summary>
    public int MaxQueuedLoads { get; set; } = 32;

    /// <summary>
    /// When set, every <c>/api</c> call needs it (<c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key</c>);
    /// required to listen anywhere but loopback.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Host names, separated by <c>;</c>, a request's Host header may carry besides the listening address and localhost.</summary>
    public string? AllowedHosts { get; set; }

    /// <summary>On shutdown, how long running loads may finish before they are stopped and marked failed.</summary>
    public int ShutdownGraceSeconds { get; set; } = 10;

    /// <summary>
    /// Refuse loopback, private, link-local, cloud-metadata and the daemon's own addresses as destinations of a load.
    /// Unset: on when the daemon listens off loopback, off on loopback (see <see cref="ListenAddresses.Destinations"/>).
    /// </summary>
    public bool? BlockPrivateDestinations { get; set; }

    /// <summary>Issue 17: this agent's name, recorded on every load it stores and listed by <c>GET /api/agents</c>; the host name when unset.</summary>
    public string? AgentName { get; set; }

    /// <summary>Issue 17: a label for where this agent measures from (<c>eu-west</c>, <c>office-3g</c>), recorded beside its name; none when unset.</summary>
    public string? Location { get; set; }

    /// <summary>Issue 17: a label for this agent's network profile, shown by <c>GET /api/agents</c>; none when unset.</summary>
    public string? Network { get; set; }

    /// <summary>Issue 17: how often the agent tells the database it is alive (and how many loads it runs).</summary>
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>
    /// Issue 17: how long a load taken from the shared queue (PostgreSQL) stays this agent's without a renewal; the
    /// agent renews it every third of that while the load runs. Past it (the agent died) another agent takes the load.
    /// </summary>
    public double QueueLeaseSeconds { get; set; } = 30;

    /// <summary>Issue 17: how many agents may try a queued load whose agent died before it is stored failed.</summary>
    public int QueueMaxAttempts { get; set; } = 2;

    /// <summary>Issue 17: how often an idle agent looks at the queue when no notification woke it (leases that ran out are seen so).</summary>
    public int QueuePollMilliseconds { get; set; } = 1000;
}
