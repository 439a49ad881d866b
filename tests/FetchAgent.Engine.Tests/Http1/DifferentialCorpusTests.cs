using System.Text;
using FetchAgent.Engine.Connections;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Http1;

/// <summary>
/// Response cases from other projects' suites (Go's net/http, h11, httparse, hyper), each served byte for byte by a
/// raw server as the answer to a first request, then a second request: does FetchAgent get the status, the body or
/// the specific error the suite and RFC 9112 say, and does the connection stay in step (the second request reuses it)
/// or end (the second request goes on a new connection)? Where FetchAgent deliberately differs from the suite, curl or
/// Chromium, the case says so; README ("Where FetchAgent differs from curl and Chromium") explains each.
/// </summary>
public sealed class DifferentialCorpusTests
{
    private const string Fine = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfine";

    /// <param name="Source">Where the case comes from: project, file and test (or the RFC section it checks).</param>
    /// <param name="Raw">The first response, byte for byte (Latin-1).</param>
    /// <param name="ServerCloses">After the bytes the server sends FIN (the case's framing ends with the close).</param>
    /// <param name="Reused">The second request went on the same connection.</param>
    public sealed record Case(string Source, string Raw, bool ServerCloses, int? Status, string? Body, string? Error, bool Reused, string Method = "GET");

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // ---- Go, src/net/http/response_test.go, respTests (TestReadResponse) ----
        ["go_unchunked_http10_connection_close"] = new("go net/http response_test.go respTests: Unchunked response without Content-Length",
            "HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nBody here\n", ServerCloses: true, 200, "Body here\n", null, Reused: false),
        ["go_unchunked_http11_no_length"] = new("go net/http response_test.go respTests: Unchunked HTTP/1.1 response without Content-Length or Connection headers",
            "HTTP/1.1 200 OK\r\n\r\nBody here\n", ServerCloses: true, 200, "Body here\n", null, Reused: false),
        // Go reads the 204 with an empty body; the bytes after it are not the next response (RFC 9112 §6.3): Go's
        // Transport closes an idle connection that receives them too ("Unsolicited response received on idle HTTP channel").
        ["go_204_with_body_bytes"] = new("go net/http response_test.go respTests: Unchunked HTTP/1.1 204 response without Content-Length",
            "HTTP/1.1 204 No Content\r\n\r\nBody should not be read!\n", ServerCloses: false, 204, "", null, Reused: false),
        ["go_chunked"] = new("go net/http response_test.go respTests: Chunked response without Content-Length",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0a\r\nBody here\n\r\n09\r\ncontinued\r\n0\r\n\r\n", ServerCloses: false, 200, "Body here\ncontinued", null, Reused: true),
        // RFC 9112 §6.3 rule 3: Transfer-Encoding overrides Content-Length; with chunked last the chunks frame the body.
        ["go_chunked_with_content_length"] = new("go net/http response_test.go respTests: Chunked response with Content-Length",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 10\r\n\r\n0a\r\nBody here\n\r\n0\r\n\r\n", ServerCloses: false, 200, "Body here\n", null, Reused: true),
        ["go_head_chunked"] = new("go net/http response_test.go respTests: Chunked response in response to a HEAD request",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", ServerCloses: false, 200, "", null, Reused: true, Method: "HEAD"),
        ["go_head_content_length_http11"] = new("go net/http response_test.go respTests: Content-Length in response to a HEAD request with HTTP/1.1",
            "HTTP/1.1 200 OK\r\nContent-Length: 256\r\n\r\n", ServerCloses: false, 200, "", null, Reused: true, Method: "HEAD"),
        ["go_head_content_length_http10"] = new("go net/http response_test.go respTests: Content-Length in response to a HEAD request (HTTP/1.0: not persistent)",
            "HTTP/1.0 200 OK\r\nContent-Length: 256\r\n\r\n", ServerCloses: true, 200, "", null, Reused: false, Method: "HEAD"),
        ["go_explicit_zero_length"] = new("go net/http response_test.go respTests: explicit Content-Length of 0",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", ServerCloses: false, 200, "", null, Reused: true),
        ["go_status_without_reason_or_space"] = new("go net/http response_test.go respTests: Status line without a Reason-Phrase, and no trailing space",
            "HTTP/1.0 303\r\n\r\n", ServerCloses: true, 303, "", null, Reused: false),
        ["go_keep_alive_and_close_on_one_line"] = new("go net/http response_test.go respTests: Both keep-alive and close, on the same Connection line (issue 8840)",
            "HTTP/1.1 200 OK\r\nContent-Length: 256\r\nConnection: keep-alive, close\r\n\r\n", ServerCloses: false, 200, "", null, Reused: false, Method: "HEAD"),
        ["go_keep_alive_and_close_on_two_lines"] = new("go net/http response_test.go respTests: Both keep-alive and close, on different Connection lines (issue 8840)",
            "HTTP/1.1 200 OK\r\nContent-Length: 256\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", ServerCloses: false, 200, "", null, Reused: false, Method: "HEAD"),
        ["go_http10_bogus_transfer_encoding"] = new("go net/http response_test.go respTests: HTTP/1.0 response with bogus Transfer-Encoding, without a Content-Length (issue 12785)",
            "HTTP/1.0 200 OK\r\nTransfer-Encoding: bogus\r\n\r\nBody here\n", ServerCloses: true, 200, "Body here\n", null, Reused: false),
        // DIFFERS from Go, which takes the Content-Length: RFC 9112 §6.1 says Transfer-Encoding in HTTP/1.0 means the
        // framing is faulty "even if a Content-Length is present", and §6.3 rule 3 that both together "ought to be
        // handled as an error". FetchAgent fails the object at once and closes.
        ["go_http10_bogus_transfer_encoding_with_length"] = new("go net/http response_test.go respTests: HTTP/1.0 response with bogus Transfer-Encoding, with a Content-Length (issue 12785)",
            "HTTP/1.0 200 OK\r\nTransfer-Encoding: bogus\r\nContent-Length: 10\r\n\r\nBody here\n", ServerCloses: false, 200, null,
            "invalid framing: Transfer-Encoding bogus (not chunked last) with Content-Length", Reused: false),

        // ---- h11, h11/tests/test_io.py and test_headers.py ----
        ["httparse_chunk_extensions_ignored"] = new("httparse src/lib.rs test_chunk_size (\"3735AB1;foo bar*\", \"3735ab1 ; baz \"): chunk extensions are skipped",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;foo bar*\r\nhello\r\n1 ; baz \r\n!\r\n0\r\n\r\n", ServerCloses: false, 200, "hello!", null, Reused: true),
        ["h11_chunk_size_mixed_case_hex"] = new("h11 tests/test_io.py test_ChunkedReader: handles upper and lowercase hex (\"aA\")",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\naA\r\n" + new string('x', 0xAA) + "\r\n0\r\n\r\n", ServerCloses: false, 200, new string('x', 0xAA), null, Reused: true),
        ["h11_chunk_size_too_long"] = new("h11 tests/test_io.py test_ChunkedReader: b\"9\" * 100 as a chunk size",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + new string('9', 100) + "\r\nxxx", ServerCloses: false, 200, null, "chunk size overflow", Reused: false),
        ["h11_nul_in_chunk_size"] = new("h11 tests/test_io.py test_ChunkedReader: b\"10\\x00\\r\\nxxx\"",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\0\r\nxxx", ServerCloses: false, 200, null, "invalid chunk size", Reused: false),
        ["h11_chunked_trailers"] = new("h11 tests/test_io.py test_ChunkedReader: trailer fields after the last chunk",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n10\r\n0123456789abcdef\r\n0\r\nSome: header\r\n\r\n", ServerCloses: false, 200, "012340123456789abcdef", null, Reused: true),
        ["h11_reject_nul_in_header_value"] = new("h11 tests/test_io.py test_reject_garbage_in_header_line",
            "HTTP/1.1 200 OK\r\nFoo: abc\0def\r\nContent-Length: 0\r\n\r\n", ServerCloses: false, null, null, "invalid header line", Reused: false),
        ["h11_reject_garbage_after_status_line"] = new("h11 tests/test_io.py test_reject_garbage_after_request_line (a status line there, despite the name)",
            "HTTP/1.0 200 OK\0xxxx\r\n\r\n", ServerCloses: false, null, null, "invalid status line", Reused: false),
        ["h11_allow_control_byte_in_cookie"] = new("h11 tests/test_io.py test_allow_some_garbage_in_cookies (a request head there; the same field in a response)",
            "HTTP/1.1 200 OK\r\nSet-Cookie: ___utmvafIumyLc=kUd\x01UpAt; path=/; Max-Age=900\r\nContent-Length: 2\r\n\r\nok", ServerCloses: false, 200, "ok", null, Reused: true),
        // DIFFERS from httparse's default (which forbids obs-fold in responses unless allowed), as Chromium and curl:
        // RFC 9112 §5.2 lets a user agent replace each obs-fold with SP.
        ["httparse_obs_fold_in_middle"] = new("httparse src/lib.rs test_allow_response_with_obsolete_line_folding_in_middle",
            "HTTP/1.1 200 OK\r\nLine-Folded-Header: hello  \r\n \r\n there\r\nContent-Length: 2\r\n\r\nok", ServerCloses: false, 200, "ok", null, Reused: true),
        ["h11_identical_content_lengths_merge"] = new("h11 tests/test_headers.py test_normalize_and_validate: Content-Length: 1, 1",
            "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok", ServerCloses: false, 200, "ok", null, Reused: true),
        ["h11_conflicting_content_lengths"] = new("h11 tests/test_headers.py test_normalize_and_validate: conflicting Content-Length headers",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nok", ServerCloses: false, null, null, "conflicting Content-Length: 1 and 2", Reused: false),
        // DIFFERS from h11 (which refuses any Transfer-Encoding but chunked): RFC 9112 §6.3 rule 4 reads a response whose
        // final coding is not chunked until the server closes, as curl and Chromium do.
        ["h11_gzip_transfer_encoding_is_close_delimited"] = new("h11 tests/test_headers.py test_normalize_and_validate: Only Transfer-Encoding: chunked is supported",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzzzz", ServerCloses: true, 200, "zzzz", null, Reused: false),
        ["h11_interim_100_then_final"] = new("h11 tests/test_connection.py test_100_continue (RFC 9110 §15.2: 1xx are interim)",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", ServerCloses: false, 200, "ok", null, Reused: true),

        // ---- httparse, src/lib.rs tests ----
        ["httparse_bare_newlines"] = new("httparse src/lib.rs test_response_newlines",
            "HTTP/1.0 403 Forbidden\nServer: foo.bar\n\n", ServerCloses: true, 403, "", null, Reused: false),
        ["httparse_reason_missing_no_space"] = new("httparse src/lib.rs test_response_reason_missing_no_space (Content-Length added)",
            "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", ServerCloses: false, 200, "", null, Reused: true),
        ["httparse_reason_with_nul"] = new("httparse src/lib.rs test_response_reason_with_nul_byte",
            "HTTP/1.1 200 \0\r\n\r\n", ServerCloses: false, null, null, "invalid status line", Reused: false),
        ["httparse_multiple_space_delimiters"] = new("httparse src/lib.rs test_forbid_response_with_multiple_space_delimiters",
            "HTTP/1.1   200  OK\r\n\r\n", ServerCloses: false, null, null, "invalid status line", Reused: false),
        ["httparse_weird_whitespace_delimiter"] = new("httparse src/lib.rs test_forbid_response_with_weird_whitespace_delimiters",
            "HTTP/1.1 200\rOK\r\n\r\n", ServerCloses: false, null, null, "invalid status line", Reused: false),
        ["httparse_status_with_spaces"] = new("httparse src/lib.rs test_response_with_spaces_in_code",
            "HTTP/1.1 99 200 OK\r\n\r\n", ServerCloses: false, null, null, "invalid status line", Reused: false),
        // DIFFERS from Chromium, which trims the space (httparse refuses it by default, as here): RFC 9112 §5.1 allows
        // no whitespace between a field name and its colon; a field that could be read two ways is refused.
        ["httparse_space_before_colon"] = new("httparse src/lib.rs test_forbid_response_with_whitespace_between_header_name_and_colon",
            "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Credentials : true\r\nContent-Length: 0\r\n\r\n", ServerCloses: false, null, null, "invalid header line", Reused: false),
        ["httparse_nul_in_header_value"] = new("httparse src/lib.rs test_header_with_nul_in_value",
            "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Credentials: hell\0o\r\nBread: baguette\r\n\r\n", ServerCloses: false, null, null, "invalid header line", Reused: false),
        // DIFFERS from httparse (Error::HeaderValue by default), as Chromium: RFC 9110 §5.5 only forbids CR, LF and NUL
        // outright; other controls in a value are kept, as browsers keep them.
        ["httparse_control_byte_in_header_value"] = new("httparse src/lib.rs test_header_with_invalid_char_in_value",
            "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Credentials: hell\x01o\r\nBread: baguette\r\nContent-Length: 0\r\n\r\n", ServerCloses: false, 200, "", null, Reused: true),
        ["httparse_missing_colon"] = new("httparse src/lib.rs test_ignore_header_line_with_missing_colon (default config)",
            "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Credentials\r\nBread: baguette\r\n\r\n", ServerCloses: false, null, null, "invalid header line", Reused: false),
        ["httparse_no_cr"] = new("httparse src/lib.rs test_response_no_cr",
            "HTTP/1.0 200\nContent-type: text/html\n\n", ServerCloses: true, 200, "", null, Reused: false),
        // DIFFERS from Chromium and httparse, which skip empty lines before a status line: RFC 9112 §2.2 lets a server
        // skip them before a request line, not a client before a status line; bytes before a response are not taken as
        // part of it (and between responses they retire the connection).
        ["httparse_empty_lines_before_status_line"] = new("httparse src/lib.rs test_response_empty_lines_prefix_lf_only",
            "\n\nHTTP/1.1 200 OK\n\n", ServerCloses: false, null, null, "invalid status line", Reused: false),

        // ---- hyper, tests/client.rs ----
        ["hyper_status_out_of_range"] = new("hyper tests/client.rs client_error_parse_status_out_of_range",
            "HTTP/1.1 001 OK\r\n\r\n", ServerCloses: false, null, null, "invalid status line", Reused: false),
        ["hyper_unexpected_eof_in_head"] = new("hyper tests/client.rs client_error_unexpected_eof",
            "HTTP/1.1 200 OK\r\n", ServerCloses: true, null, null, "truncated: response head incomplete", Reused: false),
        ["rfc9112_8_content_length_body_cut_by_eof"] = new("RFC 9112 §8: a Content-Length body cut short by the close is an incomplete message",
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", ServerCloses: true, 200, null, "truncated: 5 of 10 bytes", Reused: false),

        // ---- RFC cases the suites above hold in other shapes ----
        ["rfc9110_8_6_content_length_past_64_bits"] = new("RFC 9110 §8.6: a Content-Length past 64 bits (hyper and Go refuse it as invalid; FetchAgent says too large)",
            "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n", ServerCloses: false, 200, null, "Content-Length too large: 18446744073709551616", Reused: false),
        ["rfc9112_6_3_more_responses_than_requests"] = new("RFC 9112 §6.3 (last paragraph): a second response nobody asked for",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nstolen", ServerCloses: false, 200, "ok", null, Reused: false),
    };

    public static TheoryData<string> Names() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Case_from_another_suite(string name)
    {
        var @case = Cases[name];
        await using var server = new ScriptedServer(async c =>
        {
            if (c.Index == 1)
            {
                if (await c.ReadRequestAsync() is null)
                    return;
                await c.WriteAsync(Encoding.Latin1.GetBytes(@case.Raw));
                if (@case.ServerCloses)
                {
                    c.ShutdownSend();
                    await c.ReadToEndAsync(TimeSpan.FromSeconds(15));
                    return;
                }
            }

            while (await c.ReadRequestAsync() is not null)
                await c.WriteAsync(Fine);
        });
        var clock = new PageClock(TimeProvider.System);
        var pool = new ConnectionPool(Sites.Options(perHost: 1), clock);
        var runner = new TransactionRunner(pool);

        var first = await runner.RunAsync(new ExchangeRequest(server.Url("/first"), "*/*", KeepContent: true, @case.Method), clock.Now(), CancellationToken.None);
        var second = await runner.RunAsync(new ExchangeRequest(server.Url("/second"), "*/*", KeepContent: true), clock.Now(), CancellationToken.None);
        await pool.DisposeAsync();

        Assert.Equal(@case.Error, first.Error);
        if (@case.Status is { } status)
            Assert.Equal(status, first.Head?.StatusCode);
        if (@case.Body is { } body)
            Assert.Equal(body, Encoding.Latin1.GetString(first.Body!.Content.Span));
        Assert.Null(second.Error);
        Assert.Equal("fine", Encoding.Latin1.GetString(second.Body!.Content.Span));
        Assert.Equal(@case.Reused, second.ReusedConnection);
        Assert.Equal(@case.Reused ? 1 : 2, second.ConnectionId);
        Assert.Equal(0, second.Retries);
        Assert.Equal(@case.Reused ? 1 : 2, server.ConnectionCount);
    }
}
