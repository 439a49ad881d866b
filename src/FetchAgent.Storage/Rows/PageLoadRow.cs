using System.Text.Json;
using FetchAgent.Engine.Model;

namespace FetchAgent.Storage.Rows;

/// <summary>A <c>page_loads</c> row (<see cref="Tables.PageLoads"/>): every scalar of the document, in types SQLite and PostgreSQL both store (times as fixed-width text, flags as integers; Dapper maps snake_case columns).</summary>
internal sealed class PageLoadRow
{
    public long Id { get; set; }
    public string Url { get; set; } = "";
    public string Host { get; set; } = "";
    public string? FinalUrl { get; set; }
    public string StartedAt { get; set; } = "";
    public string Status { get; set; } = "";
    public string? Error { get; set; }
    public string Strategy { get; set; } = "";
    public string Options { get; set; } = "{}";
    public double TtfbMs { get; set; }
    public double DomContentLoadedMs { get; set; }
    public double StartRenderMs { get; set; }
    public double SpeedIndexMs { get; set; }
    public double VisuallyCompleteMs { get; set; }
    public double OnLoadMs { get; set; }
    public double PerceivedMs { get; set; }
    public double ActualMs { get; set; }
    public long ObjectCount { get; set; }
    public long ConnectionCount { get; set; }
    public long ReusedRequests { get; set; }
    public long RetriedRequests { get; set; }
    public long Bytes { get; set; }
    public long ObjectsNotFetched { get; set; }
    public string VisualProgress { get; set; } = "[]";
    public long ConcurrentLoads { get; set; }
    public string? Title { get; set; }
    public string? ImportedFrom { get; set; }

    /// <summary>migrations/sqlite/0007_error_kind.sql: null without an error, and on loads stored before.</summary>
    public string? ErrorKind { get; set; }

    /// <summary>migrations/sqlite/0011_repeat_view.sql: on a repeat view, its first view's id; null on every other load.</summary>
    public long? RepeatOf { get; set; }

    /// <summary>migrations/sqlite/0012_time_wait.sql: a JSON array of local ports; null on loads stored before.</summary>
    public string? PortsUsed { get; set; }

    public long? TimeWaitSockets { get; set; }

    /// <summary>migrations/sqlite/0016_agents.sql: the agent that ran the load and its location label; null on loads stored before.</summary>
    public string? Agent { get; set; }

    public string? Location { get; set; }

    /// <summary>The list's host filter: the URL's host, lower-case (empty when the URL does not parse).</summary>
    public static string HostOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host.ToLowerInvariant() : "";

    public static string StrategyText(ConnectionStrategy strategy) => StoredText.Enum(strategy);

    /// <summary>The row of a load that has only started: nothing measured yet.</summary>
    public static PageLoadRow Started(string url, LoadOptions options, DateTimeOffset startedAt, AgentIdentity? agent = null) => new()
    {
        Agent = agent?.Name,
        Location = agent?.Location,
        Url = url,
        Host = HostOf(url),
        StartedAt = StoredText.Time(startedAt),
        Status = StoredText.Enum(PageLoadStatus.Running),
        Strategy = StrategyText(options.Strategy),
        Options = JsonSerializer.Serialize(options, DocumentJson.Options),
    };

    public static PageLoadRow From(PageLoadDocument document, long id)
    {
        var m = document.Metrics;
        return new PageLoadRow
        {
            Id = id,
            Url = document.Url,
            Host = HostOf(document.Url),
            FinalUrl = document.FinalUrl,
            StartedAt = StoredText.Time(document.StartedAt),
            Status = StoredText.Enum(document.Status),
            Error = document.Error,
            Strategy = StrategyText(document.Options.Strategy),
            Options = JsonSerializer.Serialize(document.Options, DocumentJson.Options),
            TtfbMs = m.TtfbMs,
            DomContentLoadedMs = m.DomContentLoadedMs,
            StartRenderMs = m.StartRenderMs,
            SpeedIndexMs = m.SpeedIndexMs,
            VisuallyCompleteMs = m.VisuallyCompleteMs,
            OnLoadMs = m.OnLoadMs,
            PerceivedMs = m.PerceivedMs,
            ActualMs = m.ActualMs,
            ObjectCount = m.ObjectCount,
            ConnectionCount = m.ConnectionCount,
            ReusedRequests = m.ReusedRequests,
            RetriedRequests = m.RetriedRequests,
            Bytes = m.Bytes,
            ObjectsNotFetched = document.ObjectsNotFetched,
            VisualProgress = JsonSerializer.Serialize(document.VisualProgress, DocumentJson.Options),
            ConcurrentLoads = document.ConcurrentLoads,
            Title = document.Title,
            ImportedFrom = document.ImportedFrom,
            ErrorKind = document.ErrorKind is { } kind ? StoredText.Enum(kind) : null,
            PortsUsed = JsonSerializer.Serialize(document.PortsUsed, DocumentJson.Options),
            TimeWaitSockets = document.TimeWaitSockets,
            Agent = document.Agent,
            Location = document.Location,
        };
    }

    public PageLoadDocument ToDocument(List<ObjectRecord> objects, List<ConnectionRecord> connections) => new()
    {
        Id = Id,
        Url = Url,
        FinalUrl = FinalUrl,
        StartedAt = StoredText.Time(StartedAt),
        Status = StoredText.Enum<PageLoadStatus>(Status),
        Error = Error,
        Options = JsonSerializer.Deserialize<LoadOptions>(Options, DocumentJson.Options)
            ?? throw new InvalidDataException($"page load {Id} has no options"),
        Metrics = new PageMetrics
        {
            TtfbMs = TtfbMs,
            DomContentLoadedMs = DomContentLoadedMs,
            StartRenderMs = StartRenderMs,
            SpeedIndexMs = SpeedIndexMs,
            VisuallyCompleteMs = VisuallyCompleteMs,
            OnLoadMs = OnLoadMs,
            PerceivedMs = PerceivedMs,
            ActualMs = ActualMs,
            ObjectCount = checked((int)ObjectCount),
            ConnectionCount = checked((int)ConnectionCount),
            ReusedRequests = checked((int)ReusedRequests),
            RetriedRequests = checked((int)RetriedRequests),
            Bytes = Bytes,
        },
        VisualProgress = JsonSerializer.Deserialize<List<VisualProgressPoint>>(VisualProgress, DocumentJson.Options) ?? [],
        Objects = objects,
        Connections = connections,
        ObjectsNotFetched = checked((int)ObjectsNotFetched),
        ConcurrentLoads = checked((int)ConcurrentLoads),
        Title = Title,
        ImportedFrom = ImportedFrom,
        ErrorKind = ErrorKind is { } kind ? StoredText.Enum<ErrorKind>(kind) : null,
        PortsUsed = PortsUsed is null ? [] : JsonSerializer.Deserialize<List<int>>(PortsUsed, DocumentJson.Options) ?? [],
        TimeWaitSockets = TimeWaitSockets is { } t ? checked((int)t) : null,
        Agent = Agent,
        Location = Location,
    };

    public PageLoadSummary ToSummary() => new(
        Id, Url, FinalUrl, StoredText.Time(StartedAt), StoredText.Enum<PageLoadStatus>(Status), Error, Strategy,
        PerceivedMs, ActualMs, StartRenderMs, checked((int)ObjectCount), checked((int)ConnectionCount), Bytes, checked((int)ConcurrentLoads))
    {
        ImportedFrom = ImportedFrom,
        ErrorKind = ErrorKind is { } kind ? StoredText.Enum<ErrorKind>(kind) : null,
        Agent = Agent,
        Location = Location,
    };
}
