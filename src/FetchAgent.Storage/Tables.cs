namespace FetchAgent.Storage;

/// <summary>
/// Every table's columns, in one place, for every database's SQL: a new column is one more name here (and its
/// property on the engine's row, and its migration). The order is the schema's, as the migrations leave it.
/// </summary>
internal static class Tables
{
    /// <summary>One row per page load: every scalar of the document (objects and connections have their own tables).</summary>
    public static readonly Table PageLoads = new(
        "page_loads", generatedKey: "id",
        "url", "host", "final_url", "started_at", "status", "error", "strategy", "options", "ttfb_ms", "dom_content_loaded_ms",
        "start_render_ms", "speed_index_ms", "visually_complete_ms", "on_load_ms", "perceived_ms", "actual_ms", "object_count",
        "connection_count", "reused_requests", "retried_requests", "bytes", "objects_not_fetched", "visual_progress",
        "concurrent_loads", "title", "imported_from", "error_kind", "repeat_of", "ports_used", "time_wait_sockets",
        "agent", "location");

    /// <summary>One row per object of a page load, keyed (page_load_id, id); each HAR timing phase a column.</summary>
    public static readonly Table Objects = new(
        "objects", generatedKey: null,
        "page_load_id", "id", "url", "method", "kind", "initiator", "parent_id", "render_blocking", "parser_blocking",
        "connection_id", "reused_connection", "retries", "start_ms", "end_ms", "time_ms", "blocked_ms", "dns_ms", "connect_ms",
        "ssl_ms", "send_ms", "wait_ms", "receive_ms", "http_version", "status", "status_text", "content_type", "header_bytes",
        "body_bytes", "error", "redirect_url", "request_headers", "response_headers", "discovery_ms", "parsed_bytes",
        "discovery_limit", "error_kind", "decoded_bytes", "proxy_ms", "from_cache", "revalidated", "tcp_info", "after_onload", "cache", "via", "age", "priority");

    /// <summary>One row per connection of a page load, keyed (page_load_id, id): the 4-tuple, setup phases, keep-alive, close.</summary>
    public static readonly Table Connections = new(
        "connections", generatedKey: null,
        "page_load_id", "id", "scheme", "host", "port", "remote_address", "remote_port", "local_address", "local_port",
        "opened_ms", "closed_ms", "dns_ms", "connect_ms", "ssl_ms", "requests", "close_reason", "keep_alive",
        "keep_alive_timeout_s", "keep_alive_max", "tls_protocol", "error", "error_kind",
        "protocol", "peer_settings", "peak_concurrent_streams", "goaway", "proxy", "proxy_ms", "time_wait", "closed_by", "tcp_info", "anonymous",
        "kept_for_repeat_view", "kept_from");

    /// <summary>One row per comparison of strategies.</summary>
    public static readonly Table Comparisons = new(
        "comparisons", generatedKey: "id",
        "url", "runs", "created_at", "sweep_option");

    /// <summary>One row per load of a comparison, keyed (comparison_id, position), in the order they ran.</summary>
    public static readonly Table ComparisonRows = new(
        "comparison_rows", generatedKey: null,
        "comparison_id", "position", "strategy", "page_load_id", "sweep_value");
}
