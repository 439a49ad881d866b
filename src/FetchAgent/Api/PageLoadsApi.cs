using System.Net.ServerSentEvents;
using FetchAgent.Daemon;
using FetchAgent.Engine.Timeline;
using FetchAgent.Har;
using FetchAgent.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FetchAgent.Api;

/// <summary><c>/api/page-loads</c>: run a load, list past ones, read one, follow one live, delete one.</summary>
public static class PageLoadsApi
{
    private static readonly HashSet<string> NoExtraFields = [];

    public static RouteGroupBuilder MapPageLoadsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/page-loads").WithTags("Page loads");
        group.MapPost("/", StartAsync).Accepts<PageLoadRequest>("application/json")
            .WithSummary("Load a page and return its waterfall (201), or start it and return at once with ?wait=false (202).");
        group.MapGet("/", ListAsync).WithSummary("Past page loads, newest first, with filters and a cursor.");
        group.MapGet("/{id:long}", GetAsync).WithSummary("One page load; status running while it runs, with the objects finished so far.");
        group.MapGet("/{id:long}/har", HarAsync).WithSummary("The page load as HAR 1.2, to open in other tools.");
        group.MapGet("/{id:long}/events", Events).WithSummary("Server-sent events: 'object' per finished object, then 'done'.");
        group.MapDelete("/{id:long}", DeleteAsync).WithSummary("Delete a finished page load.");
        return group;
    }

    private static async Task<Results<Created<PageLoadDocument>, Accepted<PageLoadDocument>, ValidationProblem, ProblemHttpResult>> StartAsync(
        HttpRequest request, PageLoadService loads, bool? wait, CancellationToken cancellationToken)
    {
        var (body, bodyProblem) = await RequestBody.ReadAsync(request, cancellationToken);
        var reader = new LoadRequestReader();
        if (bodyProblem is not null)
            reader.Add("body", bodyProblem);
        var (url, options) = bodyProblem is null ? reader.Read(body, NoExtraFields) : (null, new Engine.LoadOptions());
        if (reader.HasErrors)
            return TypedResults.ValidationProblem(reader.Errors);

        LiveLoad live;
        try
        {
            live = await loads.StartAsync(url!, options, cancellationToken);
        }
        catch (LoadQueueFullException full)
        {
            return Problems.Busy(request.HttpContext, full);
        }

        var location = $"/api/page-loads/{live.Id}";
        if (wait == false)
            return TypedResults.Accepted(location, live.Snapshot());
        // The load goes on even if this client goes away: it is stored either way.
        return TypedResults.Created(location, await live.Completion.WaitAsync(cancellationToken));
    }

    private static async Task<Results<Ok<PageLoadList>, ValidationProblem>> ListAsync(
        PageLoadStore store, string? url, string? host, string? status, string? since, string? until, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var reader = new LoadRequestReader();
        var query = new PageLoadQuery { Url = url, Host = host?.ToLowerInvariant(), Cursor = cursor };
        if (status is not null)
        {
            if (Enum.TryParse<PageLoadStatus>(status, ignoreCase: true, out var parsed) && status.All(char.IsLetter))
                query = query with { Status = parsed };
            else
                reader.Add("status", "must be running, completed, partial or failed");
        }

        query = query with { Since = Time(reader, "since", since), Until = Time(reader, "until", until) };
        if (limit is { } n)
        {
            if (n < 1)
                reader.Add("limit", "must be at least 1");
            else
                query = query with { Limit = Math.Min(n, PageLoadQuery.MaxLimit) };
        }

        if (cursor is not null && !PageLoadCursor.TryDecode(cursor, out _))
            reader.Add("cursor", "is not a cursor this API gave out");
        if (reader.HasErrors)
            return TypedResults.ValidationProblem(reader.Errors);
        var page = await store.ListAsync(query, cancellationToken);
        return TypedResults.Ok(new PageLoadList(page.Items, page.NextCursor));
    }

    private static DateTimeOffset? Time(LoadRequestReader reader, string field, string? value)
    {
        if (value is null)
            return null;
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time))
            return time;
        reader.Add(field, "must be an ISO 8601 date and time");
        return null;
    }

    private static async Task<Results<Ok<PageLoadDocument>, ProblemHttpResult>> GetAsync(long id, PageLoadService loads, PageLoadStore store, CancellationToken cancellationToken)
    {
        if (loads.Live(id) is { } live)
            return TypedResults.Ok(live.Snapshot());
        return await store.GetAsync(id, cancellationToken) is { } document ? TypedResults.Ok(document) : Problems.NotFound("page load", id);
    }

    private static async Task<Results<JsonHttpResult<HarFile>, ProblemHttpResult>> HarAsync(long id, HttpResponse response, PageLoadService loads, PageLoadStore store, CancellationToken cancellationToken)
    {
        var document = loads.Live(id)?.Snapshot() ?? await store.GetAsync(id, cancellationToken);
        if (document is null)
            return Problems.NotFound("page load", id);
        response.Headers.ContentDisposition = $"inline; filename=\"page-load-{id}.har\"";
        return TypedResults.Json(HarBuilder.Build(document), HarBuilder.Json);
    }

    private static async Task<Results<ServerSentEventsResult<object>, ProblemHttpResult>> Events(long id, PageLoadService loads, PageLoadStore store, CancellationToken cancellationToken)
    {
        var live = loads.Live(id);
        var stored = live is null ? await store.GetAsync(id, cancellationToken) : null;
        if (live is null && stored is null)
            return Problems.NotFound("page load", id);
        return TypedResults.ServerSentEvents(Stream(live, stored, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<object>> Stream(LiveLoad? live, PageLoadDocument? stored, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (live is not null)
        {
            await foreach (var record in live.FollowAsync(cancellationToken))
                yield return new SseItem<object>(record, "object");
            stored = await live.Completion.WaitAsync(cancellationToken);
        }
        else
        {
            foreach (var record in stored!.Objects)
                yield return new SseItem<object>(record, "object");
        }

        yield return new SseItem<object>(new PageLoadDone(stored!.Id, stored.Status, stored.Metrics.PerceivedMs, stored.Metrics.ActualMs), "done");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, PageLoadService loads, PageLoadStore store, CancellationToken cancellationToken)
    {
        if (loads.Live(id) is not null)
            return Problems.Conflict("page load is running", $"Page load {id} is still running; delete it when it is done.");
        return await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound("page load", id);
    }
}

/// <summary>One page of <c>GET /api/page-loads</c>.</summary>
public sealed record PageLoadList(IReadOnlyList<PageLoadSummary> Items, string? NextCursor);

/// <summary>The last server-sent event of a load.</summary>
public sealed record PageLoadDone(long Id, PageLoadStatus Status, double PerceivedMs, double ActualMs);
