using System.Text;

namespace FetchAgent.Cli;

/// <summary>
/// One terminal line built from text segments, each with an optional ANSI style; tracks the
/// visible width so layout never counts escape sequences. Without color the styles are dropped.
/// </summary>
internal sealed class StyledLine(bool color)
{
    private readonly StringBuilder _text = new();

    /// <summary>Columns the line occupies on screen.</summary>
    public int Width { get; private set; }

    public StyledLine Append(string text, string? style = null)
    {
        if (text.Length == 0)
            return this;
        if (color && style is not null)
            _text.Append(style).Append(text).Append(Ansi.Reset);
        else
            _text.Append(text);
        Width += text.Length;
        return this;
    }

    public StyledLine Append(char glyph, int count, string? style = null) =>
        count <= 0 ? this : Append(new string(glyph, count), style);

    /// <summary>Pads with spaces up to column <paramref name="column"/>.</summary>
    public StyledLine PadTo(int column) => Append(' ', column - Width);

    public void WriteTo(TextWriter output) => output.WriteLine(_text.ToString().TrimEnd(' '));
}
