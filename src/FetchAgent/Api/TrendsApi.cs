using FetchAgent.Engine.Model;
using FetchAgent.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FetchAgent.Api;

/// <summary><c>/api/trends</c>: how each strategy has done on a URL over time: perceived against actual.</summary>
public static class TrendsApi
{
    public static RouteHandlerBuilder MapTrendsApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/trends", GetAsync).WithTags("Trends")
            .WithName("getTrends")
            .WithSummary("Per strategy over past loads of the URL: count, median perceived and actual ms, and their ratio; and every load as a point in time.");

    private static async Task<Results<Ok<Trends>, ValidationProblem>> GetAsync(string? url, IPageLoadStore store, CancellationToken cancellationToken)
    {
        if (LoadOptions.ValidateUrl(url, out _) is { } problem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["url"] = [problem] });
        return TypedResults.Ok(new Trends(url!, await store.TrendsAsync(url!, cancellationToken)) { Points = await store.TrendPointsAsync(url!, cancellationToken) });
    }
}

public sealed record Trends(string Url, IReadOnlyList<TrendRow> Strategies)
{
    /// <summary>Every completed or partial load of the URL FetchAgent ran, oldest first: the trends chart (imported HARs are left out).</summary>
    public IReadOnlyList<TrendPoint> Points { get; init; } = [];
}
