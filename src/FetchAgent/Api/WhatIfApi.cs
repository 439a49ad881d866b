using System.Globalization;
using FetchAgent.Daemon;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.WhatIf;
using FetchAgent.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FetchAgent.Api;

/// <summary>
/// <c>GET /api/page-loads/{id}/what-if</c> (issue 13 item 5): the recorded load replayed in FetchAgent's connection model
/// under other conditions, returned as a page-load document marked <c>prediction</c> (nothing in it was measured).
/// </summary>
public static class WhatIfApi
{
    public static RouteHandlerBuilder MapWhatIfApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/page-loads/{id:long}/what-if", PredictAsync).WithTags("Page loads").WithName("predictPageLoad")
            .WithSummary("A prediction: the recorded load replayed under other conditions (strategy, rtt, downKbps, upKbps, maxConnectionsPerHost, pipelineDepth); each left out is the recording's (its own network for rtt and bandwidth).");

    private static async Task<Results<Ok<PageLoadDocument>, ValidationProblem, ProblemHttpResult>> PredictAsync(
        long id, HttpRequest request, PageLoadService loads, IPageLoadStore store, CancellationToken cancellationToken)
    {
        if (loads.Live(id) is not null)
            return Problems.Conflict("page load still running", $"page load {id} is still running: a prediction replays a finished load");
        var recorded = loads.Unstored(id) ?? await store.GetAsync(id, cancellationToken);
        if (recorded is null)
            return Problems.NotFound("page load", id);
        var (conditions, errors) = Read(request.Query, WhatIfConditions.Of(recorded.Options));
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(PageReplay.Predict(recorded, conditions));
    }

    /// <summary>The query's conditions over the recording's; a value that does not parse or is out of range is named.</summary>
    public static (WhatIfConditions Conditions, Dictionary<string, string[]> Errors) Read(IQueryCollection query, WhatIfConditions recorded)
    {
        var errors = new Dictionary<string, string[]>();
        var conditions = recorded;
        foreach (var (name, values) in query)
        {
            var text = values.ToString();
            switch (name)
            {
                case "strategy" when ConnectionStrategyNames.TryParse(text, out var strategy):
                    conditions = conditions with { Strategy = strategy };
                    break;
                case "strategy":
                    errors[name] = ["must be serial, parallel, persistent, pipelined or multiplexed"];
                    break;
                case "rtt" or "rttMs" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rtt):
                    conditions = conditions with { RttMs = rtt };
                    break;
                case "downKbps" or "upKbps" or "maxConnectionsPerHost" or "pipelineDepth" when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value):
                    conditions = name switch
                    {
                        "downKbps" => conditions with { DownKbps = value },
                        "upKbps" => conditions with { UpKbps = value },
                        "maxConnectionsPerHost" => conditions with { MaxConnectionsPerHost = value },
                        _ => conditions with { PipelineDepth = value },
                    };
                    break;
                case "rtt" or "rttMs" or "downKbps" or "upKbps" or "maxConnectionsPerHost" or "pipelineDepth":
                    errors[name] = ["must be a number"];
                    break;
                default:
                    errors[name] = ["is not a what-if condition (strategy, rtt, downKbps, upKbps, maxConnectionsPerHost, pipelineDepth)"];
                    break;
            }
        }

        foreach (var (field, problem) in conditions.Validate())
            errors.TryAdd(field, [problem]);
        return (conditions, errors);
    }
}
