using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// What ends a page's transactions before their own deadlines: the page's deadline, or a request to end the load now.
/// The transaction runner ends a transaction it catches in flight with the page's own words for why.
/// </summary>
public interface IPageEnd
{
    /// <summary>Cancelled once the page has ended; <see cref="ErrorText"/> and <see cref="ErrorKind"/> are set before.</summary>
    CancellationToken Token { get; }

    /// <summary>The error of an object the end caught in flight (<c>timeout: page deadline</c>, or <c>cancelled</c>).</summary>
    string ErrorText { get; }

    /// <summary>The kind beside <see cref="ErrorText"/>.</summary>
    ErrorKind ErrorKind { get; }
}
