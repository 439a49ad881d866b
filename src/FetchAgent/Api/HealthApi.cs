using FetchAgent.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FetchAgent.Api;

/// <summary>
/// <c>/healthz</c>: 200 when the database's schema can be read and the last write succeeded; else 503 with the
/// cause. Open to anyone (no API key), so it names no file path.
/// </summary>
public static class HealthApi
{
    public static RouteHandlerBuilder MapHealthApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/healthz", CheckAsync).WithTags("Health").WithName("getHealth");

    private static async Task<Results<Ok<Health>, ProblemHttpResult>> CheckAsync(IDatabase database, CancellationToken cancellationToken)
    {
        if (await database.PingAsync(cancellationToken) is { } readFailure)
            return Unhealthy($"the database cannot be read: {readFailure.Cause}", readFailure);
        if (database.Health.Damage is { } damage)
            return Unhealthy($"the database file is damaged: {damage.Cause}", damage);
        if (database.Health.LastWriteFailure is { } writeFailure)
            return Unhealthy($"the last write failed: {writeFailure.Cause}", writeFailure);
        return TypedResults.Ok(new Health("ok", "ok"));
    }

    // 503 either way (a health check says whether to send traffic here); the cause tells a full disk apart.
    private static ProblemHttpResult Unhealthy(string detail, StorageFailure failure) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "storage failing",
            extensions: new Dictionary<string, object?> { ["cause"] = failure.Cause, ["diskFull"] = failure.DiskFull, ["since"] = failure.At });
}

/// <param name="Database">"ok" when the database answers (it used to be the file's path, which is no one else's business).</param>
public sealed record Health(string Status, string Database);
