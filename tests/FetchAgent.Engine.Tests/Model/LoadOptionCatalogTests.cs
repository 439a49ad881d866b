using System.Reflection;
using System.Text.Json;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Tests.Model;

/// <summary>
/// Issue 10, item 3: <see cref="LoadOptions.Catalog"/> is the one description of each option. It describes every property,
/// each entry reads and writes its own property, and the contract's names, defaults, ranges and messages are what they were.
/// </summary>
public sealed class LoadOptionCatalogTests
{
    [Fact]
    public void The_catalogue_describes_every_property_in_the_order_the_document_writes_them()
    {
        var properties = typeof(LoadOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken).Select(p => p.Name);
        var documentFields = JsonSerializer.SerializeToElement(new LoadOptions(), DocumentJson.Options).EnumerateObject().Select(p => p.Name);

        Assert.Equal(properties, LoadOptions.Catalog.Select(o => o.Property));
        Assert.Equal(documentFields, LoadOptions.Catalog.Select(o => o.Name));
    }

    /// <summary>The contract's names and defaults (CONTRACT.md, "Load options"); a changed default or a renamed flag fails here.</summary>
    [Theory]
    [InlineData("strategy", "--strategy", "string", "persistent")]
    [InlineData("maxConnectionsPerHost", "--max-connections-per-host", "integer", "2")]
    [InlineData("pipelineDepth", "--pipeline-depth", "integer", "4")]
    [InlineData("objectTimeoutMs", "--object-timeout-ms", "integer", "30000")]
    [InlineData("connectTimeoutMs", "--connect-timeout-ms", "integer", "10000")]
    [InlineData("maxObjects", "--max-objects", "integer", "500")]
    [InlineData("maxBodyBytes", "--max-body-bytes", "integer", "52428800")]
    [InlineData("insecure", "--insecure", "boolean", "false")]
    [InlineData("pageTimeoutMs", "--page-timeout-ms", "integer", "120000")]
    [InlineData("proxy", "--proxy", "string", "null")]
    [InlineData("noproxy", "--noproxy", "string", "null")]
    [InlineData("proxyConnectionHeader", "--proxy-connection-header", "boolean", "false")]
    public void Each_option_keeps_its_contract_name_flag_type_and_default(string name, string flag, string jsonType, string defaultJson)
    {
        var option = LoadOptions.Catalog.Find(name)!;

        Assert.Equal((name, flag, jsonType), (option.Name, option.Flag, option.JsonType));
        Assert.Same(option, LoadOptions.Catalog.FindFlag(flag));
        Assert.Equal(defaultJson, (option.DefaultJson?.ToJsonString() ?? "null").Trim('"'));
        var inDocument = JsonSerializer.SerializeToElement(new LoadOptions(), DocumentJson.Options).GetProperty(name);
        Assert.Equal(defaultJson, inDocument.ValueKind == JsonValueKind.Null ? "null" : inDocument.ToString().ToLowerInvariant());
    }

    /// <summary>The ranges and the exact problem texts a 400 and the CLI carry.</summary>
    [Theory]
    [InlineData("maxConnectionsPerHost", 1, 64)]
    [InlineData("pipelineDepth", 1, 64)]
    [InlineData("objectTimeoutMs", 1, 600_000)]
    [InlineData("connectTimeoutMs", 1, 600_000)]
    [InlineData("maxObjects", 1, 10_000)]
    [InlineData("maxBodyBytes", 1, 4_294_967_296)]
    [InlineData("pageTimeoutMs", 1, 3_600_000)]
    public void Validate_names_a_value_just_outside_the_range_and_passes_its_ends(string name, long minimum, long maximum)
    {
        var option = (WholeNumberOption)LoadOptions.Catalog.Find(name)!;
        var problem = $"must be between {minimum} and {maximum}";

        Assert.Equal((minimum, maximum), (option.Minimum, option.Maximum));
        Assert.Empty(option.With(new LoadOptions(), minimum).Validate());
        Assert.Empty(option.With(new LoadOptions(), maximum).Validate());
        Assert.Equal([(name, problem)], option.With(new LoadOptions(), minimum - 1).Validate());
        Assert.Equal([(name, problem)], option.With(new LoadOptions(), maximum + 1).Validate());
    }

    /// <summary>The options a comparison sweeps (CONTRACT and README name these two).</summary>
    [Fact]
    public void Connections_per_host_and_pipeline_depth_are_the_options_a_comparison_may_sweep()
    {
        Assert.Equal(["maxConnectionsPerHost", "pipelineDepth"], LoadOptions.Catalog.Where(o => o.Sweepable).Select(o => o.Name));
    }

    /// <summary>A catalogue entry wired to a neighbour's property (a copy-paste slip) would set the wrong field here.</summary>
    [Fact]
    public void Each_option_sets_its_own_property_and_no_other()
    {
        foreach (var option in LoadOptions.Catalog)
        {
            var argument = option switch
            {
                WholeNumberOption number => number.Maximum!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                { Choices.Count: > 0 } => option.Choices[0],
                TextOption text => text.Example,
                _ => null,
            };
            var changed = option.Parse(new LoadOptions(), argument, out var problem);

            Assert.Null(problem);
            var before = JsonSerializer.SerializeToElement(new LoadOptions(), DocumentJson.Options);
            var after = JsonSerializer.SerializeToElement(changed, DocumentJson.Options);
            var differ = before.EnumerateObject().Where(p => p.Value.ToString() != after.GetProperty(p.Name).ToString()).Select(p => p.Name);
            Assert.Equal([option.Name], differ);
            Assert.Equal(option.JsonValue(changed)!.ToJsonString(), after.GetProperty(option.Name).GetRawText());
        }
    }

    [Fact]
    public void A_choice_is_spelled_as_the_document_spells_it()
    {
        var strategy = LoadOptions.Catalog.Find("strategy")!;

        Assert.Equal(["serial", "parallel", "persistent", "pipelined", "multiplexed"], strategy.Choices);
        Assert.Equal(ConnectionStrategy.Pipelined, strategy.Parse(new LoadOptions(), "pipelined", out _).Strategy);
        strategy.Parse(new LoadOptions(), "Pipelined", out var problem);
        Assert.Equal("--strategy: unknown strategy 'Pipelined' (serial, parallel, persistent, pipelined, multiplexed)", problem);
    }
}
