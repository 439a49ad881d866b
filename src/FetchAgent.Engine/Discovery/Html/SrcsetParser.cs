using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FetchAgent.Engine.Discovery.Html;

/// <summary>One image candidate string: a URL and at most one of a width (<c>w</c>) or density (<c>x</c>) descriptor.</summary>
internal sealed record SrcsetCandidate(string Url, int? Width, double? Density);

/// <summary>HTML §4.8.4.3.10 "parse a srcset attribute", step by step.</summary>
internal static partial class SrcsetParser
{
    public static List<SrcsetCandidate> Parse(string? srcset)
    {
        var candidates = new List<SrcsetCandidate>();
        if (srcset is null)
        {
            return candidates;
        }

        var input = srcset;
        var pos = 0;
        while (true)
        {
            // Splitting loop: skip ASCII whitespace and commas, then take the URL (a run of non-whitespace).
            while (pos < input.Length && (IsSpace(input[pos]) || input[pos] == ','))
            {
                pos++;
            }

            if (pos >= input.Length)
            {
                return candidates;
            }

            var urlStart = pos;
            while (pos < input.Length && !IsSpace(input[pos]))
            {
                pos++;
            }

            var url = input[urlStart..pos];
            var descriptors = new List<string>();
            if (url.EndsWith(','))
            {
                // "If url ends with U+002C (,), remove all trailing commas": commas inside a URL stay.
                url = url.TrimEnd(',');
            }
            else
            {
                pos = TokenizeDescriptors(input, pos, descriptors);
            }

            if (ParseDescriptors(url, descriptors) is { } candidate)
            {
                candidates.Add(candidate);
            }
        }
    }

    /// <summary>The "tokenize descriptors" state machine; returns the position after the candidate's comma.</summary>
    private static int TokenizeDescriptors(string input, int pos, List<string> descriptors)
    {
        while (pos < input.Length && IsSpace(input[pos]))
        {
            pos++;
        }

        var current = new StringBuilder();
        var state = State.InDescriptor;
        while (true)
        {
            var c = pos < input.Length ? input[pos] : '\0';
            var eof = pos >= input.Length;
            switch (state)
            {
                case State.InDescriptor:
                    if (eof)
                    {
                        Flush(current, descriptors);
                        return pos;
                    }

                    if (IsSpace(c))
                    {
                        Flush(current, descriptors);
                        state = State.AfterDescriptor;
                    }
                    else if (c == ',')
                    {
                        Flush(current, descriptors);
                        return pos + 1;
                    }
                    else
                    {
                        current.Append(c);
                        if (c == '(')
                        {
                            state = State.InParens;
                        }
                    }

                    break;
                case State.InParens:
                    if (eof)
                    {
                        Flush(current, descriptors);
                        return pos;
                    }

                    current.Append(c);
                    if (c == ')')
                    {
                        state = State.InDescriptor;
                    }

                    break;
                case State.AfterDescriptor:
                    if (eof)
                    {
                        return pos;
                    }

                    if (!IsSpace(c))
                    {
                        state = State.InDescriptor;
                        continue; // reconsume
                    }

                    break;
            }

            pos++;
        }
    }

    /// <summary>The descriptor parser: one w, or one x, (plus an h beside a w); anything else drops the candidate.</summary>
    private static SrcsetCandidate? ParseDescriptors(string url, List<string> descriptors)
    {
        int? width = null, height = null;
        double? density = null;
        foreach (var d in descriptors)
        {
            var last = d[^1];
            var number = d[..^1];
            switch (last)
            {
                case 'w' when width is null && density is null && NonNegativeInteger().IsMatch(number):
                    if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var w) || w == 0)
                    {
                        return null;
                    }

                    width = w;
                    break;
                case 'x' when width is null && density is null && height is null && FloatingPoint().IsMatch(number):
                    var x = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
                    if (x < 0)
                    {
                        return null;
                    }

                    density = x;
                    break;
                case 'h' when height is null && density is null && NonNegativeInteger().IsMatch(number):
                    if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var h) || h == 0)
                    {
                        return null;
                    }

                    height = h;
                    break;
                default:
                    return null;
            }
        }

        if (height is not null && width is null)
        {
            return null;
        }

        return new SrcsetCandidate(url, width, density);
    }

    private static void Flush(StringBuilder current, List<string> descriptors)
    {
        if (current.Length > 0)
        {
            descriptors.Add(current.ToString());
            current.Clear();
        }
    }

    /// <summary>ASCII whitespace (Infra §4.6): tab, LF, FF, CR, space.</summary>
    internal static bool IsSpace(char c) => c is '\t' or '\n' or '\f' or '\r' or ' ';

    private enum State
    {
        InDescriptor,
        InParens,
        AfterDescriptor,
    }

    /// <summary>HTML §2.3.4.1 valid non-negative integer.</summary>
    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex NonNegativeInteger();

    /// <summary>HTML §2.3.4.3 valid floating-point number.</summary>
    [GeneratedRegex("^-?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")]
    private static partial Regex FloatingPoint();
}
