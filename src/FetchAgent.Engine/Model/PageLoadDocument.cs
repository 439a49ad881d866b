namespace FetchAgent.Engine.Model;

/// <summary>One page load as the contract's JSON document describes it (camelCase on the wire).</summary>
public sealed class PageLoadDocument
{
    public long Id { get; set; }
    public required string Url { get; set; }
    public string? FinalUrl { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public PageLoadStatus Status { get; set; } = PageLoadStatus.Running;
    public string? Error { get; set; }

    /// <summary>Extension: the machine-readable kind of <see cref="Error"/> (timeout, dns, refused, tls, truncated, protocol, …); null when there is none.</summary>
    public ErrorKind? ErrorKind { get; set; }

    public required LoadOptions Options { get; set; }

    /// <summary>
    /// With <see cref="LoadOptions.RepeatView"/>: the same page loaded again with the HTTP cache this load left, a
    /// whole document of its own (its own clock, objects, connections, metrics). Written only when there is one.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public PageLoadDocument? RepeatView { get; set; }
    /// <summary>
    /// Extension: the emulated network the load ran on (issue 13: <c>--rtt-ms</c>, <c>--down-kbps</c>, <c>--up-kbps</c>,
    /// <c>--network</c>), its effective figures from the options; absent when it ran on the real network.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public EmulatedNetwork? EmulatedNetwork => EmulatedNetwork.Of(Options);

    public PageMetrics Metrics { get; set; } = new();
    public List<VisualProgressPoint> VisualProgress { get; set; } = [];
    public List<ObjectRecord> Objects { get; set; } = [];
    public List<ConnectionRecord> Connections { get; set; } = [];

    /// <summary>Extension: the local ports of the load's connections (each one a port the kernel kept for it).</summary>
    public List<int> PortsUsed { get; set; } = [];

    /// <summary>
    /// Extension: how many of the load's connections left FetchAgent's end in TIME_WAIT once it was over (serial and
    /// parallel: one per object FetchAgent closed; persistent: a few); null where the kernel's table cannot be read.
    /// </summary>
    public int? TimeWaitSockets { get; set; }

    /// <summary>Extension: references found after <c>maxObjects</c> was reached, and so not fetched.</summary>
    public int ObjectsNotFetched { get; set; }

    /// <summary>
    /// The most other page loads that ran at any moment of this one in the same process (0: it ran alone).
    /// Set by the daemon, which may run several; loads sharing the CPU inflate each other's phases.
    /// </summary>
    public int ConcurrentLoads { get; set; }

    /// <summary>
    /// The document's <c>&lt;title&gt;</c> text, when known (HAR's <c>pages[].title</c>). FetchAgent's engine does not
    /// record it yet (left to the engine); an imported HAR carries its page title here.
    /// </summary>
    public string? Title { get; set; }

    /// <summary>
    /// Set on a load imported from a HAR file (<c>POST /api/hars</c>): the HAR's creator, e.g. <c>WebInspector 537.36</c>.
    /// Null on every load FetchAgent ran itself.
    /// </summary>
    public string? ImportedFrom { get; set; }

    /// <summary>
    /// Set only on a what-if prediction (<c>GET /api/page-loads/{id}/what-if</c>): the conditions it was predicted
    /// under and from which recorded load. Nothing in such a document was measured. Null on every real load.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public PredictionRecord? Prediction { get; set; }

    /// <summary>
    /// Extension (issue 17): the agent that ran the load (<c>FetchAgent:AgentName</c>, the host name unless set), as
    /// its store records it; null on a load that was never stored.
    /// </summary>
    public string? Agent { get; set; }

    /// <summary>Extension (issue 17): the location label of <see cref="Agent"/> (<c>FetchAgent:Location</c>); null when it has none.</summary>
    public string? Location { get; set; }
}

public enum PageLoadStatus
{
    Running,
    Completed,
    Partial,
    Failed,

    /// <summary>Ended on request (the daemon's <c>DELETE</c> of a running or queued load), with what was measured until then.</summary>
    Cancelled,
}
