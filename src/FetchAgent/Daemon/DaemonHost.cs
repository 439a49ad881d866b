using System.Text.Json.Serialization;
using FetchAgent.Access;
using FetchAgent.Api;
using FetchAgent.Engine.Page;
using FetchAgent.Storage;
using Microsoft.Extensions.Options;

namespace FetchAgent.Daemon;

/// <summary>
/// Builds the daemon: Kestrel on 127.0.0.1 (elsewhere only with an API key), the database checked and migrated at start,
/// access rules, the REST API, OpenAPI, problem details.
/// </summary>
/// <exception cref="ListenRefusedException">Told to listen off loopback without <c>FetchAgent:ApiKey</c>.</exception>
/// <exception cref="DatabaseUnusableException">The database is damaged, not a database, unreadable or read-only.</exception>
/// <exception cref="MigrationException">The database was migrated by a newer FetchAgent.</exception>
public static class DaemonHost
{
    /// <param name="urls">Where to listen; <see cref="DaemonOptions.DefaultUrls"/> unless given.</param>
    /// <param name="database">The database (a SQLite file's path or a PostgreSQL connection string); configuration <c>FetchAgent:Database</c> unless given.</param>
    /// <param name="configure">Extra configuration for tests (e.g. a small queue).</param>
    /// <param name="logging">Extra logging set-up for tests (e.g. a provider that captures the engine's Debug events).</param>
    public static async Task<WebApplication> BuildAsync(string? urls, string? database, Action<DaemonOptions>? configure = null, Action<ILoggingBuilder>? logging = null)
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
        logging?.Invoke(builder.Logging);
        urls ??= builder.Configuration["urls"] ?? DaemonOptions.DefaultUrls;
        builder.WebHost.UseUrls(urls);
        var listen = new ListenAddresses(urls);
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
        // The one factory picks the database from the setting; everything after it knows only the store interfaces.
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DaemonOptions>>().Value;
            return AgentIdentity.Of(options.AgentName, options.Location);
        });
        builder.Services.AddSingleton(sp => StorageFactory.Create(sp.GetRequiredService<IOptions<DaemonOptions>>().Value.Database, sp.GetRequiredService<AgentIdentity>()));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Stores>().Database);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Stores>().PageLoads);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Stores>().Comparisons);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Stores>().Agents);
        builder.Services.AddSingleton<LiveProgressRelay>();
        builder.Services.AddSingleton<PageLoadService>();
        builder.Services.AddHostedService<GracefulShutdown>();
        builder.Services.AddHostedService<AgentHeartbeats>();
        builder.Services.AddHostedService<QueueWorker>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        // The contract's JSON: camelCase, enums as kebab-case strings ("page-done"), like DocumentJson.
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
            // Numbers are written as numbers, never strings, so the OpenAPI schema types them "number"/"integer" alone
            // (the web defaults would also read "12" and declare number-or-string). Request bodies are read by hand.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            // Constructor parameters that are not nullable are required, and the schema says so.
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
            o.SerializerOptions.RespectNullableAnnotations = true;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<StorageExceptionHandler>();
        builder.Services.AddOpenApi(OpenApiDocumentRules.Configure);

        var app = builder.Build();
        // Before anything is opened or bound: off loopback only with an API key.
        var listening = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        if (ListenPolicy.Refusal(listening, app.Services.GetRequiredService<IOptions<DaemonOptions>>().Value.ApiKey) is { } refusal)
        {
            await app.DisposeAsync();
            throw new ListenRefusedException(refusal);
        }

        try
        {
            await app.Services.GetRequiredService<IDatabase>().OpenCheckedAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        // Start paying FetchAgent's own start-up now, in the background; the first load waits for whatever is left.
        _ = FetchAgent.Engine.Page.ProcessWarmup.EnsureAllAsync();

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<AccessMiddleware>();
        app.UseStaticFiles();
        app.MapOpenApi();
        app.MapHealthApi();
        app.MapPageLoadsApi();
        app.MapComparisonsApi();
        app.MapTrendsApi();
        app.MapHarsApi();
        app.MapWhatIfApi();
        app.MapAgentsApi();
        app.MapUi();
        return app;
    }
}
