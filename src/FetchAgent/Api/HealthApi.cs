using FetchAgent.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FetchAgent.Api;

/// <summary><c>/healthz</c>: 200 when the database answers.</summary>
public static class HealthApi
{
    public static RouteHandlerBuilder MapHealthApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/healthz", CheckAsync).WithTags("Health");

    private static async Task<Results<Ok<Health>, ProblemHttpResult>> CheckAsync(Database database, CancellationToken cancellationToken) =>
        await database.PingAsync(cancellationToken)
            ? TypedResults.Ok(new Health("ok", database.Path))
            : TypedResults.Problem("the database does not answer", statusCode: StatusCodes.Status503ServiceUnavailable);
}

public sealed record Health(string Status, string Database);
