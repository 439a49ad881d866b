using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace FetchAgent.Storage;

/// <summary>
/// The list's <c>nextCursor</c>: the position (started_at, id) of the last item of a page. The list is ordered
/// by that pair, which is unique, so the next page starts strictly after it: loads inserted meanwhile never
/// make a page repeat or skip an item. Opaque to clients: base64url of <c>started_at|id</c>.
/// </summary>
public sealed record PageLoadCursor(DateTimeOffset StartedAt, long Id)
{
    // UTC, fixed width, 100 ns ticks: the time comes back exactly, so the next page starts exactly after this item.
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{StartedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}|{Id.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>False for anything this store did not issue (the API answers 400 naming <c>cursor</c>).</summary>
    public static bool TryDecode(string? text, out PageLoadCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 128)
            return false;
        string plain;
        try
        {
            plain = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }

        var bar = plain.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0
            || !DateTime.TryParseExact(plain[..bar], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc)
            || !long.TryParse(plain.AsSpan(bar + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return false;
        cursor = new PageLoadCursor(new DateTimeOffset(utc, TimeSpan.Zero), id);
        return true;
    }
}
