using FetchAgent.Cli;
using FetchAgent.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Tests.Cli;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_refuses_a_database_migrated_by_a_newer_FetchAgent()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("fetchagent-serve-").FullName, "fetchagent.db");
        var database = new SqliteDatabase(path);
        await database.MigrateAsync();
        await using (var connection = await database.OpenAsync())
        await using (var insert = new SqliteCommand("INSERT INTO schema_migrations (version, applied_at) VALUES ('9999_from_the_future', '2030-01-01T00:00:00Z')", connection))
            await insert.ExecuteNonQueryAsync();

        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(["serve", "--db", path, "--urls", "http://127.0.0.1:0"], new StringWriter(), stderr, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("9999_from_the_future", stderr.ToString());
        Assert.Contains("newer FetchAgent", stderr.ToString());
    }

    [Theory]
    [InlineData("--port", "80")]
    [InlineData("--urls", "127.0.0.1:5080")]
    public async Task Serve_with_bad_arguments_exits_2(string option, string value)
    {
        var stderr = new StringWriter();
        Assert.Equal(2, await CommandLine.RunAsync(["serve", option, value], new StringWriter(), stderr, CancellationToken.None));
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
    }
}
