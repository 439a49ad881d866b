namespace FetchAgent.Engine.Discovery.Css;

/// <summary>The token types of CSS Syntax Level 3 §4 that discovery needs to tell apart.</summary>
internal enum CssTokenType : byte
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
/// One token with its value as a string. <see cref="Value"/> holds the decoded name or string (escapes resolved) for
/// ident, function, at-keyword, hash, string, url and dimension-unit tokens, and the code point for a delim.
/// <see cref="Start"/>/<see cref="End"/> are offsets into the source text. Only the short texts of media queries and
/// <c>sizes</c> are tokenized this way (<see cref="CssTokenizer.Tokenize"/>); discovery reads <see cref="CssTokenRange"/>s.
/// </summary>
internal readonly record struct CssToken(CssTokenType Type, string Value, int Start, int End)
{
    public bool IsIdent(string name) => Type == CssTokenType.Ident && Value.Equals(name, StringComparison.OrdinalIgnoreCase);

    public bool IsFunction(string name) => Type == CssTokenType.Function && Value.Equals(name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One token as offsets into the preprocessed source, so that tokenizing allocates nothing.
/// <see cref="ValueStart"/>..<see cref="ValueEnd"/> is the raw text of the token's value (the name of an ident,
/// function, at-keyword or hash, the unit of a dimension, the inside of a string or unquoted url); it is the
/// value itself unless <see cref="Escaped"/>, when a backslash in it means the value must be decoded
/// (§4.3.7 "Consume an escaped code point") by <see cref="CssTokenizer.Value"/>.
/// </summary>
internal readonly struct CssTokenRange(CssTokenType type, int start, int end, int valueStart, int valueEnd, bool escaped)
{
    public CssTokenType Type { get; } = type;

    public int Start { get; } = start;

    public int End { get; } = end;

    public int ValueStart { get; } = valueStart;

    public int ValueEnd { get; } = valueEnd;

    public bool Escaped { get; } = escaped;
}
