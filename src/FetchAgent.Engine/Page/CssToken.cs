namespace FetchAgent.Engine.Page;

/// <summary>The token types of CSS Syntax Level 3 §4 that discovery needs to tell apart.</summary>
internal enum CssTokenType
{
    Ident,
    Function,
    AtKeyword,
    Hash,
    String,
    BadString,
    Url,
    BadUrl,
    Delim,
    Number,
    Percentage,
    Dimension,
    Whitespace,
    Cdo,
    Cdc,
    Colon,
    Semicolon,
    Comma,
    OpenSquare,
    CloseSquare,
    OpenParen,
    CloseParen,
    OpenCurly,
    CloseCurly,
    Eof,
}

/// <summary>
/// One token. <see cref="Value"/> holds the decoded name or string (escapes resolved) for
/// ident, function, at-keyword, hash, string, url and dimension-unit tokens, and the code point for a delim.
/// <see cref="Start"/>/<see cref="End"/> are offsets into the source text.
/// </summary>
internal readonly record struct CssToken(CssTokenType Type, string Value, int Start, int End)
{
    public bool IsIdent(string name) => Type == CssTokenType.Ident && Value.Equals(name, StringComparison.OrdinalIgnoreCase);

    public bool IsFunction(string name) => Type == CssTokenType.Function && Value.Equals(name, StringComparison.OrdinalIgnoreCase);
}
