using System.Text.Json;
using System.Text.Json.Nodes;
using FetchAgent.Daemon;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FetchAgent.Api;

/// <summary><c>/api/comparisons</c>: the same page under several strategies, to compare perceived and actual time.</summary>
public static class ComparisonsApi
{
    public const int MaxRuns = 10;

    /// <summary>Values one sweep may take (each is a load per strategy per run).</summary>
    public const int MaxSweepValues = 8;

    /// <summary>The options a comparison may sweep (the catalogue's sweepable ones): given as an array instead of a number.</summary>
    public static readonly string[] SweepOptions = [.. LoadOptions.Catalog.Where(o => o.Sweepable).Select(o => o.Name)];
    private static readonly HashSet<string> ComparisonFields = ["strategies", "runs", ProxyUserField.Name];

    public static RouteGroupBuilder MapComparisonsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/comparisons").WithTags("Comparisons");
        group.MapPost("/", CreateAsync).Accepts<ComparisonRequest>("application/json").WithName("createComparison")
            .WithSummary("After one unrecorded warm-up load, load the URL with each strategy in turn, run by run (a, b, a, b…), and compare medians. " +
                $"{string.Join(" or ", SweepOptions)} given as an array sweeps that option: every strategy runs with every value.");
        group.MapGet("/", ListAsync).WithName("listComparisons").WithSummary("Past comparisons, newest first (limit 1–200, default 50).");
        group.MapGet("/{id:long}", GetAsync).WithName("getComparison").WithSummary("One comparison.");
        return group;
    }

    private static async Task<Results<Created<Comparison>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, PageLoadService loads, IComparisonStore comparisons, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, bodyProblem) = await RequestBody.ReadAsync(request, cancellationToken);
        var reader = new LoadRequestReader();
        if (bodyProblem is not null)
        {
            reader.Add("body", bodyProblem);
            return TypedResults.ValidationProblem(reader.Errors);
        }

        var (sweepOption, sweepValues) = Sweep(reader, ref body);
        var (url, options) = reader.Read(body, ComparisonFields);
        var proxyUser = ProxyUserField.Read(body, reader);
        var strategies = Strategies(reader, body);
        foreach (var value in sweepValues)
        {
            var swept = With(options, sweepOption!, value);
            foreach (var (field, fieldProblem) in swept.Validate())
            {
                if (field == sweepOption)
                    reader.Add(field, $"{value}: {fieldProblem}");
            }
        }
        var runs = reader.Int(body, "runs") ?? 1;
        if (runs is < 1 or > MaxRuns)
            reader.Add("runs", $"must be between 1 and {MaxRuns}");
        if (reader.HasErrors)
            return TypedResults.ValidationProblem(reader.Errors);

        // Without a sweep one variant per strategy; with one, every strategy with every value (value by value).
        var variants = sweepOption is null
            ? strategies.Select(s => (Strategy: s, Value: (int?)null)).ToList()
            : sweepValues.SelectMany(v => strategies.Select(s => (Strategy: s, Value: (int?)v))).ToList();
        var rows = new List<(string Strategy, int? SweepValue, long PageLoadId)>();
        try
        {
            // Whatever a first load pays (JIT, cold caches on either side) lands on no strategy's runs.
            await loads.WarmUpAsync(url!, Variant(options, sweepOption, variants[0]), cancellationToken, proxyUser);
            // Round-robin, run by run, as WebPageTest alternates: drift in the machine or the network over the
            // comparison spreads over every strategy instead of landing on whichever ran last.
            for (var run = 0; run < runs; run++)
            {
                foreach (var variant in variants)
                {
                    var live = await loads.StartAsync(url!, Variant(options, sweepOption, variant), cancellationToken, proxyUser);
                    await live.Completion.WaitAsync(cancellationToken);
                    rows.Add((DocumentJson.Name(variant.Strategy), variant.Value, live.Id));
                }
            }
        }
        catch (LoadQueueFullException full)
        {
            return Problems.Busy(request.HttpContext, full);
        }

        var id = await comparisons.InsertAsync(Engine.Page.Redaction.Url(url!), runs, sweepOption, rows, time.GetUtcNow(), cancellationToken);
        var comparison = await comparisons.GetAsync(id, cancellationToken);
        return TypedResults.Created($"/api/comparisons/{id}", comparison);
    }

    private static LoadOptions Variant(LoadOptions options, string? sweepOption, (ConnectionStrategy Strategy, int? Value) variant) =>
        (sweepOption is null ? options : With(options, sweepOption, variant.Value!.Value)) with { Strategy = variant.Strategy };

    private static LoadOptions With(LoadOptions options, string option, int value) =>
        LoadOptions.Catalog.Find(option) is WholeNumberOption { Sweepable: true } swept
            ? swept.With(options, value)
            : throw new ArgumentOutOfRangeException(nameof(option), option, "not a sweep option");

    /// <summary>
    /// The option given as an array (at most one of <see cref="SweepOptions"/>), and its values; the array is taken out of
    /// <paramref name="body"/> so the rest reads as one load's options.
    /// </summary>
    private static (string? Option, List<int> Values) Sweep(LoadRequestReader reader, ref JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return (null, []);
        var element = body;
        var swept = SweepOptions.Where(o => element.TryGetProperty(o, out var v) && v.ValueKind == JsonValueKind.Array).ToList();
        if (swept.Count == 0)
            return (null, []);
        // Whatever happens below, the arrays leave the body: the rest reads as one load's options.
        var rest = JsonNode.Parse(body.GetRawText())!.AsObject();
        foreach (var name in swept)
            rest.Remove(name);
        var array = body.GetProperty(swept[0]);
        body = JsonSerializer.SerializeToElement(rest);
        if (swept.Count > 1)
        {
            reader.Add(swept[1], $"only one option may be swept at a time ({swept[0]} is already an array)");
            return (null, []);
        }

        var option = swept[0];
        var values = new List<int>();
        if (array.GetArrayLength() is 0 or > MaxSweepValues)
            reader.Add(option, $"a sweep takes 1 to {MaxSweepValues} values");
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var value))
            {
                if (values.Contains(value))
                    reader.Add(option, $"{value} is given twice");
                else
                    values.Add(value);
            }
            else
            {
                reader.Add(option, $"every value must be a whole number, not {item}");
            }
        }

        return (option, values);
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

    private static async Task<Results<Ok<ComparisonList>, ValidationProblem>> ListAsync(IComparisonStore comparisons, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > PageLoadQuery.MaxLimit)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"must be from 1 to {PageLoadQuery.MaxLimit}"] });
        return TypedResults.Ok(new ComparisonList(await comparisons.ListAsync(limit ?? PageLoadQuery.DefaultLimit, cancellationToken)));
    }

    private static async Task<Results<Ok<Comparison>, ProblemHttpResult>> GetAsync(long id, IComparisonStore comparisons, CancellationToken cancellationToken) =>
        await comparisons.GetAsync(id, cancellationToken) is { } comparison ? TypedResults.Ok(comparison) : Problems.NotFound("comparison", id);
}

/// <summary><c>GET /api/comparisons</c>: past comparisons, newest first.</summary>
public sealed record ComparisonList(IReadOnlyList<ComparisonListItem> Items);
