using System.Text.Json;
using FetchAgent.Daemon;
using FetchAgent.Engine;
using FetchAgent.Engine.Timeline;
using FetchAgent.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FetchAgent.Api;

/// <summary><c>/api/comparisons</c>: the same page under several strategies, to compare perceived and actual time.</summary>
public static class ComparisonsApi
{
    public const int MaxRuns = 10;
    private static readonly HashSet<string> ComparisonFields = ["strategies", "runs"];

    public static RouteGroupBuilder MapComparisonsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/comparisons").WithTags("Comparisons");
        group.MapPost("/", CreateAsync).Accepts<ComparisonRequest>("application/json")
            .WithSummary("After one unrecorded warm-up load, load the URL with each strategy in turn, run by run (a, b, a, b…), and compare medians.");
        group.MapGet("/{id:long}", GetAsync).WithSummary("One comparison.");
        return group;
    }

    private static async Task<Results<Created<Comparison>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, PageLoadService loads, ComparisonStore comparisons, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, bodyProblem) = await RequestBody.ReadAsync(request, cancellationToken);
        var reader = new LoadRequestReader();
        if (bodyProblem is not null)
        {
            reader.Add("body", bodyProblem);
            return TypedResults.ValidationProblem(reader.Errors);
        }

        var (url, options) = reader.Read(body, ComparisonFields);
        var strategies = Strategies(reader, body);
        var runs = reader.Int(body, "runs") ?? 1;
        if (runs is < 1 or > MaxRuns)
            reader.Add("runs", $"must be between 1 and {MaxRuns}");
        if (reader.HasErrors)
            return TypedResults.ValidationProblem(reader.Errors);

        var rows = new List<(string Strategy, long PageLoadId)>();
        try
        {
            // Whatever a first load pays (JIT, cold caches on either side) lands on no strategy's runs.
            await loads.WarmUpAsync(url!, options with { Strategy = strategies[0] }, cancellationToken);
            // Round-robin, run by run, as WebPageTest alternates: drift in the machine or the network over the
            // comparison spreads over every strategy instead of landing on whichever ran last.
            for (var run = 0; run < runs; run++)
            {
                foreach (var strategy in strategies)
                {
                    var live = await loads.StartAsync(url!, options with { Strategy = strategy }, cancellationToken);
                    await live.Completion.WaitAsync(cancellationToken);
                    rows.Add((DocumentJson.Name(strategy), live.Id));
                }
            }
        }
        catch (LoadQueueFullException full)
        {
            return Problems.Busy(request.HttpContext, full);
        }

        var id = await comparisons.InsertAsync(Engine.Page.Redaction.Url(url!), runs, rows, time.GetUtcNow(), cancellationToken);
        var comparison = await comparisons.GetAsync(id, cancellationToken);
        return TypedResults.Created($"/api/comparisons/{id}", comparison);
    }

    private static List<ConnectionStrategy> Strategies(LoadRequestReader reader, JsonElement body)
    {
        var strategies = new List<ConnectionStrategy>();
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("strategies", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            reader.Add("strategies", $"must be a non-empty array of {ConnectionStrategyNames.List}");
            return strategies;
        }

        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && ConnectionStrategyNames.TryParse(item.GetString(), out var strategy))
                strategies.Add(strategy);
            else
                reader.Add("strategies", $"unknown strategy {item}: {ConnectionStrategyNames.List}");
        }

        return strategies;
    }

    private static async Task<Results<Ok<Comparison>, ProblemHttpResult>> GetAsync(long id, ComparisonStore comparisons, CancellationToken cancellationToken) =>
        await comparisons.GetAsync(id, cancellationToken) is { } comparison ? TypedResults.Ok(comparison) : Problems.NotFound("comparison", id);
}
