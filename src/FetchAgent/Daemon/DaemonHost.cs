using System.Text.Json.Serialization;
using FetchAgent.Api;
using FetchAgent.Storage;
using Microsoft.Extensions.Options;

namespace FetchAgent.Daemon;

/// <summary>Builds the daemon: Kestrel on 127.0.0.1, SQLite migrated at start, the REST API, OpenAPI, problem details.</summary>
public static class DaemonHost
{
    /// <param name="urls">Where to listen; <see cref="DaemonOptions.DefaultUrls"/> unless given.</param>
    /// <param name="database">The SQLite file; configuration <c>FetchAgent:Database</c> unless given.</param>
    /// <param name="configure">Extra configuration for tests (e.g. a small queue).</param>
    public static async Task<WebApplication> BuildAsync(string? urls, string? database, Action<DaemonOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], WebRootPath = UiPages.WebRoot });
        // One line per event; the page-load line carries its fields as structured state
        // (Logging__Console__FormatterName=json prints them as JSON). Request chatter stays out.
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var listen = new ListenAddresses(urls ?? builder.Configuration["urls"] ?? DaemonOptions.DefaultUrls);
        builder.WebHost.UseUrls(urls ?? builder.Configuration["urls"] ?? DaemonOptions.DefaultUrls);
        builder.Services.AddSingleton(listen);
        builder.Services.AddSingleton(sp => listen.Destinations(sp.GetRequiredService<IOptions<DaemonOptions>>().Value.BlockPrivateDestinations));
        builder.Services.Configure<DaemonOptions>(builder.Configuration.GetSection(DaemonOptions.Section));
        builder.Services.PostConfigure<DaemonOptions>(options =>
        {
            if (database is not null)
                options.Database = database;
            configure?.Invoke(options);
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new Database(sp.GetRequiredService<IOptions<DaemonOptions>>().Value.Database));
        builder.Services.AddSingleton<PageLoadStore>();
        builder.Services.AddSingleton<ComparisonStore>();
        builder.Services.AddSingleton<PageLoadService>();
        builder.Services.AddHostedService<GracefulShutdown>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        // The contract's JSON: camelCase, enums as kebab-case strings ("page-done"), like DocumentJson.
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();

        var app = builder.Build();
        await app.Services.GetRequiredService<Database>().MigrateAsync();
        // Start paying FetchAgent's own start-up now, in the background; the first load waits for whatever is left.
        _ = FetchAgent.Engine.Page.ProcessWarmup.EnsureAsync();

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.MapOpenApi();
        app.MapHealthApi();
        app.MapPageLoadsApi();
        app.MapComparisonsApi();
        app.MapTrendsApi();
        app.MapUi();
        return app;
    }
}
