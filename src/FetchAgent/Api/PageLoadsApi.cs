using System.Net.ServerSentEvents;
using FetchAgent.Daemon;
using FetchAgent.Engine.Model;
using FetchAgent.Har;
using FetchAgent.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FetchAgent.Api;

/// <summary><c>/api/page-loads</c>: run a load, list past ones, read one, follow one live, delete one.</summary>
public static class PageLoadsApi
{
    private static readonly HashSet<string> NoExtraFields = [ProxyUserField.Name, AgentTargetFields.AgentName, AgentTargetFields.LocationName];

    public static RouteGroupBuilder MapPageLoadsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/page-loads").WithTags("Page loads");
        group.MapPost("/", StartAsync).Accepts<PageLoadRequest>("application/json").WithName("startPageLoad")
            .WithSummary("Load a page and return its waterfall (201), or start it and return at once with ?wait=false (202).");
        group.MapGet("/", ListAsync).WithName("listPageLoads").WithSummary("Past page loads, newest first, with filters and a cursor.");
        group.MapGet("/{id:long}", GetAsync).WithName("getPageLoad").WithSummary("One page load; status running while it runs, with the objects finished so far.");
        group.MapGet("/{id:long}/har", HarAsync).WithName("getPageLoadHar").Produces<HarFile>(StatusCodes.Status200OK, "application/json").WithSummary("The page load as HAR 1.2, to open in other tools.");
        group.MapGet("/{id:long}/events", Events).WithName("followPageLoad").WithSummary("Server-sent events: 'object' per finished object, then 'done'.");
        group.MapDelete("/{id:long}", DeleteAsync).WithName("deletePageLoad")
            .WithSummary("Delete a finished page load (204), or cancel a running or queued one (202 with the document, stored as cancelled).");
        return group;
    }

    private static async Task<Results<Created<PageLoadDocument>, Accepted<PageLoadDocument>, ValidationProblem, ProblemHttpResult>> StartAsync(
        HttpRequest request, PageLoadService loads, Stores stores, AgentIdentity agent, TimeProvider time, bool? wait, CancellationToken cancellationToken)
    {
        var (body, bodyProblem) = await RequestBody.ReadAsync(request, cancellationToken);
        var reader = new LoadRequestReader();
        if (bodyProblem is not null)
            reader.Add("body", bodyProblem);
        var (url, options) = bodyProblem is null ? reader.Read(body, NoExtraFields) : (null, new Engine.Model.LoadOptions());
        var proxyUser = bodyProblem is null ? ProxyUserField.Read(body, reader) : null;
        var target = bodyProblem is null ? AgentTargetFields.Read(body, reader) : new AgentTargetFields(null, null);
        // Issue 17: with a shared queue (PostgreSQL), ?wait=false queues the load for whichever agent may take it.
        // Credentials (in the URL, or proxyUser) are never stored, so such a load runs here, where they are in memory.
        var queue = wait == false && stores.Queue is { } shared && proxyUser is null && string.IsNullOrEmpty(url?.UserInfo) ? shared : null;
        if (!reader.HasErrors && queue is null && target.Any && !target.Matches(agent))
        {
            var field = target.Agent is not null && target.Agent != agent.Name ? AgentTargetFields.AgentName : AgentTargetFields.LocationName;
            reader.Add(field, stores.Queue is null
                ? $"names another agent than this one ({agent.Name}), and this database has no queue to hand it on (PostgreSQL has one)"
                : $"names another agent than this one ({agent.Name}): a load for another agent is queued, with ?wait=false and no credentials");
        }

        if (reader.HasErrors)
            return TypedResults.ValidationProblem(reader.Errors);

        if (queue is not null)
        {
            var startedAt = time.GetUtcNow();
            var id = await queue.EnqueueAsync(url!.OriginalString, options, startedAt, target.Agent, target.Location, cancellationToken);
            var queued = new PageLoadDocument { Id = id, Url = url.OriginalString, StartedAt = startedAt, Status = PageLoadStatus.Running, Options = options };
            return TypedResults.Accepted($"/api/page-loads/{id}", queued);
        }

        LiveLoad live;
        try
        {
            live = await loads.StartAsync(url!, options, cancellationToken, proxyUser);
        }
        catch (LoadQueueFullException full)
        {
            return Problems.Busy(request.HttpContext, full);
        }

        var location = $"/api/page-loads/{live.Id}";
        if (wait == false)
            return TypedResults.Accepted(location, live.Snapshot());
        // The load goes on even if this client goes away: it is stored either way.
        var document = await live.Completion.WaitAsync(cancellationToken);
        if (live.StoreFailure is { } failure)
        {
            return Problems.StorageFailed(failure,
                $"Page load {live.Id} ran but could not be stored: {failure.Cause}. It is kept in memory as failed (GET {location}) until the daemon restarts.",
                live.Id);
        }

        return TypedResults.Created(location, document);
    }

    private static async Task<Results<Ok<PageLoadList>, ValidationProblem>> ListAsync(
        IPageLoadStore store, PageLoadService loads, string? url, string? host, string? status, string? since, string? until, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var reader = new LoadRequestReader();
        var query = new PageLoadQuery { Url = url, Host = host?.ToLowerInvariant(), Cursor = cursor };
        if (status is not null)
        {
            if (Enum.TryParse<PageLoadStatus>(status, ignoreCase: true, out var parsed) && status.All(char.IsLetter))
                query = query with { Status = parsed };
            else
                reader.Add("status", "must be running, completed, partial, failed or cancelled");
        }

        query = query with { Since = Time(reader, "since", since), Until = Time(reader, "until", until) };
        if (Limit(reader, limit) is { } n)
            query = query with { Limit = n };

        if (cursor is not null && !PageLoadCursor.TryDecode(cursor, out _))
            reader.Add("cursor", "is not a cursor this API gave out");
        if (reader.HasErrors)
            return TypedResults.ValidationProblem(reader.Errors);
        var page = await store.ListAsync(query, cancellationToken);
        // A load the database refused to finish has a row left running; say what it is.
        var items = page.Items.Select(i => loads.Unstored(i.Id) is { } kept ? i with { Status = kept.Status, Error = kept.Error } : i).ToList();
        return TypedResults.Ok(new PageLoadList(items, page.NextCursor));
    }

    /// <summary>
    /// <c>limit</c>, read as text so that a number too big for an int is still a 400 naming the field (not a binding
    /// failure), and past the maximum is refused rather than silently clamped.
    /// </summary>
    private static int? Limit(LoadRequestReader reader, string? text)
    {
        if (text is null)
            return null;
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            reader.Add("limit", $"must be a whole number from 1 to {PageLoadQuery.MaxLimit}");
        else if (negative || digits.TrimStart('0').Length == 0)
            reader.Add("limit", "must be at least 1");
        else if (!int.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var n) || n > PageLoadQuery.MaxLimit)
            reader.Add("limit", $"must be at most {PageLoadQuery.MaxLimit}, the maximum; follow nextCursor for more");
        else
            return n;
        return null;
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

    private static async Task<Results<Ok<PageLoadDocument>, ProblemHttpResult>> GetAsync(long id, PageLoadService loads, IPageLoadStore store, CancellationToken cancellationToken)
    {
        if (loads.Live(id) is { } live)
            return TypedResults.Ok(live.Snapshot());
        if (loads.Unstored(id) is { } kept)
            return TypedResults.Ok(kept);
        return await store.GetAsync(id, cancellationToken) is { } document ? TypedResults.Ok(document) : Problems.NotFound("page load", id);
    }

    private static async Task<Results<JsonHttpResult<HarFile>, ProblemHttpResult>> HarAsync(long id, HttpResponse response, PageLoadService loads, IPageLoadStore store, CancellationToken cancellationToken)
    {
        var document = loads.Live(id)?.Snapshot() ?? loads.Unstored(id) ?? await store.GetAsync(id, cancellationToken);
        if (document is null)
            return Problems.NotFound("page load", id);
        response.Headers.ContentDisposition = $"inline; filename=\"page-load-{id}.har\"";
        return TypedResults.Json(HarBuilder.Build(document), HarBuilder.Json);
    }

    private static async Task<Results<ServerSentEventsResult<object>, ProblemHttpResult>> Events(long id, PageLoadService loads, IPageLoadStore store, Stores stores, CancellationToken cancellationToken)
    {
        var live = loads.Live(id);
        var stored = live is null ? loads.Unstored(id) ?? await store.GetAsync(id, cancellationToken) : null;
        if (live is null && stored is null)
            return Problems.NotFound("page load", id);
        // Issue 17: running, but not here: another agent runs it (or will, from the queue). Follow it through the database.
        if (live is null && stored!.Status == PageLoadStatus.Running && loads.Unstored(id) is null && stores.LiveProgress is { } progress)
            return TypedResults.ServerSentEvents(FollowElsewhere(id, progress, cancellationToken));
        return TypedResults.ServerSentEvents(Stream(live, stored, cancellationToken));
    }

    /// <summary>
    /// The same events as <see cref="Stream"/> for a load another agent runs, as they happen there, then <c>done</c>;
    /// besides, <c>restart</c> when the load starts over on another agent (its own died), <c>resumed</c> when the
    /// database's notifications were interrupted and are back, and <c>interrupted</c> (last, instead of <c>done</c>)
    /// when the load cannot be followed to its end.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<object>> FollowElsewhere(long id, ILiveProgress progress, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in progress.FollowAsync(id, cancellationToken))
        {
            switch (e)
            {
                case LiveProgressEvent.ObjectFinished finished:
                    yield return new SseItem<object>(finished.Object, "object");
                    break;
                case LiveProgressEvent.Restarted restarted:
                    yield return new SseItem<object>(new PageLoadRestarted(id, restarted.Attempt, restarted.Agent), "restart");
                    break;
                case LiveProgressEvent.Resumed resumed:
                    yield return new SseItem<object>(new PageLoadResumed(id, resumed.Reason), "resumed");
                    break;
                case LiveProgressEvent.Interrupted interrupted:
                    yield return new SseItem<object>(new PageLoadInterrupted(id, interrupted.Reason), "interrupted");
                    yield break;
                case LiveProgressEvent.Ended ended:
                    var document = ended.Document;
                    yield return new SseItem<object>(new PageLoadDone(document.Id, document.Status, document.Metrics.PerceivedMs, document.Metrics.ActualMs), "done");
                    yield break;
            }
        }
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

    /// <summary>
    /// A finished load is deleted (204). A running or queued one is cancelled, not deleted: it ends as its page
    /// deadline would, is stored as <c>cancelled</c> with what was measured, and the answer (202, with that document)
    /// comes once it is stored, so a GET right after reads it cancelled. A second DELETE then deletes it.
    /// </summary>
    private static async Task<Results<NoContent, Accepted<PageLoadDocument>, ProblemHttpResult>> DeleteAsync(
        long id, PageLoadService loads, IPageLoadStore store, Stores stores, CancellationToken cancellationToken)
    {
        // Running or queued: cancel. A load whose end is already stored (it leaves the live table a moment later)
        // is finished, and DELETE deletes it.
        if (loads.Live(id) is { } live)
        {
            live.Cancel();
            var document = await live.Completion.WaitAsync(cancellationToken);
            if (live.StoreFailure is { } failure)
            {
                return Problems.StorageFailed(failure,
                    $"Page load {id} was cancelled but could not be stored: {failure.Cause}. It is kept in memory as failed (GET /api/page-loads/{id}) until the daemon restarts.",
                    id);
            }

            if (document.Status == PageLoadStatus.Cancelled)
                return TypedResults.Accepted($"/api/page-loads/{id}", document);
            // It finished (completed or failed) before the cancel took hold: it is a finished load, and DELETE deletes it.
        }

        // A load kept in memory because the database refused it: forget it, and its row if the database takes that now.
        if (loads.ForgetUnstored(id))
        {
            try
            {
                await store.DeleteAsync(id, cancellationToken);
            }
            catch (Exception e) when (StorageFailure.From(e) is not null)
            {
                // Its row stays, running, until the next start marks it failed.
            }

            return TypedResults.NoContent();
        }

        // Issue 17: running on another agent, or queued: deleted, and the agent running it told to stop (it stores nothing).
        if (stores.Queue is { } queue && await queue.CancelAsync(id, cancellationToken))
            return TypedResults.NoContent();
        return await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound("page load", id);
    }
}

/// <summary>One page of <c>GET /api/page-loads</c>.</summary>
public sealed record PageLoadList(IReadOnlyList<PageLoadSummary> Items, string? NextCursor);

/// <summary>The last server-sent event of a load.</summary>
public sealed record PageLoadDone(long Id, PageLoadStatus Status, double PerceivedMs, double ActualMs);

/// <summary>Issue 17: the load followed from another agent starts over: <see cref="Agent"/> runs attempt <see cref="Attempt"/> (the one before died).</summary>
public sealed record PageLoadRestarted(long Id, int Attempt, string Agent);

/// <summary>Issue 17: the database's notifications were interrupted and are back; nothing was missed (it was read from the table).</summary>
public sealed record PageLoadResumed(long Id, string Reason);

/// <summary>Issue 17: the last event when a load followed from another agent cannot be followed to its end (deleted, or not stored).</summary>
public sealed record PageLoadInterrupted(long Id, string Reason);
