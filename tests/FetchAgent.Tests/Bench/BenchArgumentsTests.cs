using FetchAgent.Bench;

namespace FetchAgent.Tests.Bench;

/// <summary>
/// The benches' one command-line reader (<c>BenchArguments</c>), through the commands that use it: values land in their
/// options, flags take no value, and the first wrong argument gives an error naming it.
/// </summary>
public sealed class BenchArgumentsTests
{
    [Fact]
    public void Values_land_in_their_options_and_the_rest_keep_their_defaults()
    {
        var options = Http2Bench.Parse(["http2", "--runs", "7", "--delay-ms", "0", "--only", "h2"], out var error, out var help);

        Assert.Null(error);
        Assert.False(help);
        Assert.Equal(new Http2Bench.Options(7, 100, 0, 5, 20_260_101, OnlyH2: true), options);
    }

    [Fact]
    public void Flags_take_no_value_between_options()
    {
        var options = StorageBenchOptions.Parse(["storage", "--keep", "--loads", "20", "--store-only", "--seed", "-3"], out var error, out _);

        Assert.Null(error);
        Assert.Equal(new StorageBenchOptions { Keep = true, Loads = 20, StoreOnly = true, Seed = -3 }, options);
    }

    [Fact]
    public void The_warmup_bench_reads_its_page_size_and_the_methods_flag()
    {
        Assert.Equal(new WarmupBench.Options(30, Methods: false), WarmupBench.Parse(["warmup"], out var error, out _));
        Assert.Equal(new WarmupBench.Options(60, Methods: true), WarmupBench.Parse(["warmup", "--methods", "--objects", "60"], out error, out _));
        Assert.Null(error);
        Assert.Null(WarmupBench.Parse(["warmup", "--objects", "5"], out error, out _));
        Assert.Equal("--objects: '5' is not an integer between 10 and 500", error);
    }

    [Theory]
    [InlineData(new[] { "what-if", "--runs", "10" }, "--runs: '10' is not an integer between 1 and 9")]
    [InlineData(new[] { "what-if", "--runs" }, "--runs: a value is required")]
    [InlineData(new[] { "what-if", "--objects", "5", "--rtt", "40" }, "unknown option '--rtt'")]
    [InlineData(new[] { "what-if", "7" }, "unknown option '7'")]
    public void The_first_wrong_argument_is_named(string[] args, string expected)
    {
        Assert.Null(WhatIfBench.Parse(args, out var error, out var help));
        Assert.False(help);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_text_value_the_option_refuses_is_named_with_it()
    {
        Assert.Null(Http2Bench.Parse(["http2", "--only", "h1"], out var error, out _));
        Assert.Equal("--only: 'h1' is not a client (h2)", error);
        Assert.Null(StorageBenchOptions.Parse(["storage", "--postgres", "--keep"], out error, out _));
        Assert.Equal("--postgres: a PostgreSQL connection string is required", error);
        Assert.Null(MemoryBench.Parse(["memory", "--scenario", "everything"], out error, out _));
        Assert.Equal("--scenario: one of frames, bomb, images, all", error);
        Assert.Equal(new MemoryBench.Options("bomb"), MemoryBench.Parse(["memory", "--scenario", "bomb"], out error, out _));
        Assert.Equal(new MemoryBench.Options("all"), MemoryBench.Parse(["memory"], out error, out _));
    }

    [Fact]
    public void Help_anywhere_asks_for_the_usage()
    {
        Assert.Null(AccuracyBench.Parse(["accuracy", "--runs", "3", "-h"], out var error, out var help));
        Assert.True(help);
        Assert.Null(error);
    }

    [Fact]
    public void A_check_after_the_options_still_applies()
    {
        Assert.Null(QueueBench.Parse(["queue", "--agents", "2"], out var error, out _));
        Assert.Equal("--postgres: a PostgreSQL connection string is required", error);
        Assert.Null(StorageBenchOptions.Parse(["storage", "--posts-only", "--store-only"], out error, out _));
        Assert.Equal("--posts-only and --store-only leave nothing to run", error);
        Assert.Equal(new QueueBench.Options("Host=x", 2), QueueBench.Parse(["queue", "--postgres", "Host=x", "--agents", "2"], out error, out _));
        Assert.Null(error);
    }
}
