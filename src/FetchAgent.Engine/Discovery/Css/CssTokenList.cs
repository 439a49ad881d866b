using System.Buffers;

namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// A stylesheet's tokens as ranges over its preprocessed source (<see cref="CssTokenRange"/>, in a pooled array), for a
/// reader that walks them back and forth by index; a token's value becomes a string only when the reader asks for it.
/// A sheet of a thousand rules is tens of thousands of tokens, and a string per token was most of what reading its
/// outline allocated.
/// </summary>
internal sealed class CssTokenList : IDisposable
{
    private CssTokenRange[] _tokens;

    private CssTokenList(string source, CssTokenRange[] tokens, int count)
    {
        Source = source;
        _tokens = tokens;
        Count = count;
    }

    /// <summary>The preprocessed text (CSS Syntax 3 §3.3) the ranges index.</summary>
    public string Source { get; }

    /// <summary>The tokens but EOF.</summary>
    public int Count { get; }

    public static CssTokenList Tokenize(string css)
    {
        var source = CssTokenizer.Preprocess(css);
        var tokenizer = new CssTokenizer(source);
        var tokens = ArrayPool<CssTokenRange>.Shared.Rent(Math.Max(16, source.Length / 4));
        var count = 0;
        for (var t = tokenizer.Next(); t.Type != CssTokenType.Eof; t = tokenizer.Next())
        {
            if (count == tokens.Length)
            {
                var bigger = ArrayPool<CssTokenRange>.Shared.Rent(tokens.Length * 2);
                tokens.AsSpan(0, count).CopyTo(bigger);
                ArrayPool<CssTokenRange>.Shared.Return(tokens);
                tokens = bigger;
            }

            tokens[count++] = t;
        }

        return new CssTokenList(source, tokens, count);
    }

    public CssTokenType Type(int i) => _tokens[i].Type;

    /// <summary>The token's value, decoded (<see cref="CssTokenizer.Value"/>): allocates.</summary>
    public string Value(int i) => new CssTokenizer(Source).Value(_tokens[i]);

    /// <summary>Is the value, lower-cased, <paramref name="lowercase"/>? Without allocating.</summary>
    public bool ValueIs(int i, string lowercase) => new CssTokenizer(Source).ValueEqualsLowered(_tokens[i], lowercase);

    /// <summary>Does the token's text as written start with <paramref name="prefix"/>?</summary>
    public bool StartsWith(int i, string prefix) => Source.AsSpan(_tokens[i].Start, _tokens[i].End - _tokens[i].Start).StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>Is it an ident named <paramref name="name"/>, ASCII case-insensitively (<see cref="CssToken.IsIdent"/>)?</summary>
    public bool IsIdent(int i, string name) => Type(i) == CssTokenType.Ident && new CssTokenizer(Source).ValueEquals(_tokens[i], name);

    /// <summary>Is it a function named <paramref name="name"/>, as <see cref="IsIdent"/> compares?</summary>
    public bool IsFunction(int i, string name) => Type(i) == CssTokenType.Function && new CssTokenizer(Source).ValueEquals(_tokens[i], name);

    /// <summary>The source text of tokens <paramref name="from"/> up to (not including) <paramref name="to"/>.</summary>
    public string Text(int from, int to)
    {
        if (from >= to || from >= Count)
            return "";
        var end = to < Count ? _tokens[to].Start : Source.Length;
        return Source[_tokens[from].Start..end];
    }

    public void Dispose()
    {
        if (_tokens.Length == 0)
            return;
        ArrayPool<CssTokenRange>.Shared.Return(_tokens);
        _tokens = [];
    }
}
