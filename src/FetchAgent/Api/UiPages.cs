namespace FetchAgent.Api;

/// <summary>
/// The web UI's pages. Each is a static HTML shell; its script reads the id from the path and calls the
/// REST API, so a link to <c>/page-loads/17</c> can be bookmarked and shared.
/// </summary>
public static class UiPages
{
    public static IEndpointRouteBuilder MapUi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", Shell("index.html")).ExcludeFromDescription();
        routes.MapGet("/page-loads/{id:long}", Shell("page-load.html")).ExcludeFromDescription();
        routes.MapGet("/comparisons/{id:long}", Shell("comparison.html")).ExcludeFromDescription();
        routes.MapGet("/trends", Shell("trends.html")).ExcludeFromDescription();
        return routes;
    }

    private static Func<IWebHostEnvironment, IResult> Shell(string file) =>
        environment => TypedResults.PhysicalFile(Path.Combine(environment.WebRootPath, file), "text/html; charset=utf-8");

    /// <summary>
    /// wwwroot beside the assembly, not under the content root: the daemon is started from any folder
    /// (and by tests from their own output folder), and the build copies wwwroot next to the dll.
    /// </summary>
    public static string WebRoot => Path.Combine(AppContext.BaseDirectory, "wwwroot");
}
