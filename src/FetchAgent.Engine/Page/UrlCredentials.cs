using System.Text;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Page;

/// <summary>
/// The user name and password of the page's URL, kept in memory for the load only. As a browser does, they are not
/// sent on the first request; when that URL's origin answers <c>401</c> with a <c>Basic</c> challenge, the request
/// is made once more with <c>Authorization: Basic base64(user:pass)</c> (RFC 7617 §2, UTF-8 as §2.1's charset asks
/// and browsers send), and once that was accepted, later requests to the origin carry it pre-emptively (§2.2's
/// protection space, taken as the whole origin).
/// </summary>
internal sealed class UrlCredentials
{
    private readonly HeaderField[] _authorization;
    private volatile bool _accepted;
    private volatile bool _refused;

    private UrlCredentials(Origin origin, string user, string password)
    {
        Origin = origin;
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        _authorization = [new HeaderField("Authorization", "Basic " + token)];
    }

    public Origin Origin { get; }

    /// <summary>The field to send, as extra header fields of a request.</summary>
    public IReadOnlyList<HeaderField> Authorization => _authorization;

    /// <summary>The credentials of <paramref name="url"/>, or null when it has none (a user name alone is no credential).</summary>
    public static UrlCredentials? From(Uri url)
    {
        if (!Redaction.HasPassword(url))
            return null;
        var info = url.UserInfo;
        var colon = info.IndexOf(':', StringComparison.Ordinal);
        return new UrlCredentials(Origin.From(url), Uri.UnescapeDataString(info[..colon]), Uri.UnescapeDataString(info[(colon + 1)..]));
    }

    /// <summary>Whether a request to <paramref name="url"/> carries the credentials before any challenge.</summary>
    public bool SendsPreemptively(Uri url) => _accepted && Origin.From(url) == Origin;

    /// <summary>Whether this answer to a request sent without credentials asks for exactly what we hold (and they were not refused).</summary>
    public bool Answers(Uri url, ResponseHead head) => !_refused && head.StatusCode == 401 && Origin.From(url) == Origin && OffersBasic(head);

    /// <summary>The answer to a request sent with the credentials: anything but another 401 means they were taken; a 401, refused for good.</summary>
    public void Answered(ResponseHead head)
    {
        if (head.StatusCode != 401)
            _accepted = true;
        else if (!_accepted)
            _refused = true;
    }

    /// <summary>
    /// RFC 9110 §11.6.1: <c>WWW-Authenticate = #challenge</c>, <c>challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]</c>.
    /// Commas separate both challenges and parameters; an element whose first token is followed by <c>=</c> is a
    /// parameter (or a token68's padding), any other element starts a challenge with that scheme.
    /// </summary>
    public static bool OffersBasic(ResponseHead head)
    {
        foreach (var value in head.GetValues("WWW-Authenticate"))
        {
            foreach (var element in SplitOutsideQuotes(value))
            {
                var text = element.Trim();
                var end = 0;
                while (end < text.Length && text[end] is not (' ' or '\t' or '='))
                    end++;
                var rest = text[end..].TrimStart(' ', '\t');
                if (end > 0 && !rest.StartsWith('=') && text[..end].Equals("Basic", StringComparison.OrdinalIgnoreCase))
                    return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> SplitOutsideQuotes(string value)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quoted && c == '\\')
                i++;
            else if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                yield return value[start..i];
                start = i + 1;
            }
        }

        yield return value[start..];
    }
}
