using FetchAgent.Engine.Model;
using FetchAgent.Har;
using FetchAgent.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FetchAgent.Api;

/// <summary><c>POST /api/hars</c>: a HAR from a browser (or from FetchAgent), stored as a page load FetchAgent's waterfall shows.</summary>
public static class HarsApi
{
    /// <summary>Under Kestrel's 30 MB request cap: a 155-object page's HAR with headers is a few MB.</summary>
    public const int MaxHarBytes = 25 * 1024 * 1024;

    public static RouteHandlerBuilder MapHarsApi(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/hars", ImportAsync).WithTags("HAR").WithName("importHar")
            .Accepts<HarFile>("application/json")
            .WithSummary("Import a HAR 1.2 file (the first page's entries): stored as a page load with importedFrom set; 201 with its document.");

    private static async Task<Results<Created<PageLoadDocument>, ValidationProblem>> ImportAsync(HttpRequest request, IPageLoadStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await RequestBody.ReadAsync(request, MaxHarBytes, 64, cancellationToken);
        if (problem is not null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [problem] });
        var (document, field, fieldProblem) = HarImporter.Import(body);
        if (document is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field!] = [fieldProblem!] });
        var id = await store.InsertAsync(document, cancellationToken);
        return TypedResults.Created($"/api/page-loads/{id}", document);
    }
}
