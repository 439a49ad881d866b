using System.Net;
using System.Text;
using System.Text.Json;
using FetchAgent.Api;
using FetchAgent.Cli;
using FetchAgent.Engine.Model;
using FetchAgent.TestServers;
using TestDaemon = FetchAgent.Tests.Api.Daemon;

namespace FetchAgent.Tests.Options;

/// <summary>
/// Issue 10, item 3: every load option reads the same from the command line (<c>--name value</c> and
/// <c>--name=value</c>) and from the REST body, both driven by the one catalogue; a value out of range or of the wrong
/// type gets the contract's message on each side, naming the flag or the field.
/// </summary>
public sealed class OptionRoundTripTests
{
    private const string Url = "http://127.0.0.1/";

    [Theory]
    [MemberData(nameof(OptionCase.Accepted), MemberType = typeof(OptionCase))]
    public void An_accepted_value_reads_the_same_from_the_command_line_and_the_REST_body(string option, string behaviour)
    {
        var c = OptionCase.Find(option, behaviour);

        var spaced = LoadArguments.Parse([Url, .. c.Arguments], compare: false).Options;
        var equals = LoadArguments.Parse(CommandLine.SplitEquals([Url, .. c.EqualsForm]), compare: false).Options;
        var reader = new LoadRequestReader();
        var (_, rest) = reader.Read(JsonDocument.Parse(c.Body(Url)).RootElement, new HashSet<string>());

        Assert.False(reader.HasErrors, string.Join("; ", reader.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        Assert.Equal(c.Expected, c.Option.Value(rest));
        Assert.Equal(rest, spaced);
        Assert.Equal(rest, equals);
        // Nothing but this option moved from its default.
        var defaults = JsonSerializer.SerializeToElement(new LoadOptions(), DocumentJson.Options);
        var read = JsonSerializer.SerializeToElement(rest, DocumentJson.Options);
        Assert.Empty(defaults.EnumerateObject().Where(p => p.Name != c.Option.Name && p.Value.GetRawText() != read.GetProperty(p.Name).GetRawText()).Select(p => p.Name));
    }

    [Theory]
    [MemberData(nameof(OptionCase.Rejected), MemberType = typeof(OptionCase))]
    public async Task A_rejected_value_gets_the_contract_message_on_the_command_line_and_in_the_REST_body(string option, string behaviour)
    {
        var c = OptionCase.Find(option, behaviour);

        foreach (var arguments in new[] { c.Arguments, c.EqualsForm })
        {
            var (exit, stdout, stderr) = await Cli.Cli.Run(["load", Url, .. arguments]);
            Assert.Equal((2, "", $"fetchagent: {c.CliProblem}\n"), (exit, stdout, stderr));
        }

        var reader = new LoadRequestReader();
        reader.Read(JsonDocument.Parse(c.Body(Url)).RootElement, new HashSet<string>());
        Assert.Equal([KeyValuePair.Create(c.Option.Name, new[] { c.RestProblem! })], reader.Errors);
    }

    [Fact]
    public void The_cases_cover_each_kind_at_its_edges()
    {
        // Whole numbers: default, null, min, max, min - 1, max + 1, three wrong types; a choice: each name, an unknown
        // one, a number; a switch: off, on, false, a string.
        var behaviours = OptionCase.All.GroupBy(c => c.Option.Name).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(9, behaviours["maxBodyBytes"]);
        Assert.Equal(1 + 5 + 2, behaviours["strategy"]);
        Assert.Equal(4, behaviours["insecure"]);
        Assert.Equal(LoadOptions.Catalog.Select(o => o.Name), behaviours.Keys);
    }

    /// <summary>One real load per side with every option away from its default: the document records each as given.</summary>
    [Fact]
    public async Task Every_option_given_on_the_command_line_or_in_the_REST_body_is_recorded_in_the_document()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/a.png>"))
            .Add("/a.png", SiteResource.Image(1000));
        var url = site.Url("/").AbsoluteUri;
        // An emulated round trip at its maximum (10 s) would take minutes here: the 3g profile's 300 ms stands in.
        var given = OptionCase.All.Where(c => c.Option.Name == "rttMs" ? c.Behaviour == "minimum" : c.Behaviour is "maximum" or "on" or "choice pipelined" or "given").ToList();
        Assert.Equal(LoadOptions.Catalog.Select(o => o.Name), given.Select(c => c.Option.Name));

        var (exit, stdout, stderr) = await Cli.Cli.Run(["load", url, "--json", .. given.SelectMany(c => c.EqualsForm)]);
        Assert.True(exit == 0, stderr);
        var fromCli = JsonDocument.Parse(stdout).RootElement.GetProperty("options");

        await using var daemon = await TestDaemon.StartAsync();
        var body = "{" + string.Join(",", [$"\"url\":\"{url}\"", .. given.Select(c => $"\"{c.Option.Name}\":{c.Json}")]) + "}";
        var response = await daemon.Client.PostAsync("/api/page-loads", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var fromRest = (await daemon.JsonAsync(response)).GetProperty("options");

        foreach (var c in given)
        {
            var expected = JsonSerializer.SerializeToElement(c.Expected, DocumentJson.Options).GetRawText();
            Assert.Equal((c.Option.Name, expected), (c.Option.Name, fromCli.GetProperty(c.Option.Name).GetRawText()));
            Assert.Equal((c.Option.Name, expected), (c.Option.Name, fromRest.GetProperty(c.Option.Name).GetRawText()));
        }
    }

    /// <summary>The real daemon: one body with every option just outside its range, one with every option of the wrong type.</summary>
    [Theory]
    [InlineData("minimum - 1")]
    [InlineData("maximum + 1")]
    [InlineData("wrong type")]
    public async Task The_daemon_names_every_rejected_option_in_one_400_problem(string behaviour)
    {
        var cases = OptionCase.All.Where(c => c.Behaviour == behaviour).ToList();
        await using var daemon = await TestDaemon.StartAsync();
        var body = "{" + string.Join(",", [$"\"url\":\"{Url}\"", .. cases.Select(c => $"\"{c.Option.Name}\":{c.Json}")]) + "}";

        var response = await daemon.Client.PostAsync("/api/page-loads", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await daemon.JsonAsync(response)).GetProperty("errors");
        Assert.Equal(
            cases.Select(c => $"{c.Option.Name}: {c.RestProblem}").Order(),
            errors.EnumerateObject().Select(e => $"{e.Name}: {string.Join(" | ", e.Value.EnumerateArray().Select(v => v.GetString()))}").Order());
    }
}
