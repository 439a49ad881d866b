using System.Globalization;
using System.Text.Json;
using FetchAgent.Engine.Model;

namespace FetchAgent.Storage;

/// <summary>How values that SQLite has no type for are written as text: times and enums (PostgreSQL stores the same text, so one row type serves both).</summary>
internal static class StoredText
{
    /// <summary>UTC, fixed width (text order is time order), 100 ns ticks (a DateTimeOffset comes back exactly).</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(string text) =>
        new(DateTime.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    /// <summary>The contract's kebab-case name (<c>keep-alive-max</c>), the same as the JSON document's.</summary>
    public static string Enum<T>(T value) where T : struct, Enum => EnumNames<T>.ToText[value];

    public static T Enum<T>(string text) where T : struct, Enum =>
        EnumNames<T>.FromText.TryGetValue(text, out var value)
            ? value
            : throw new InvalidDataException($"'{text}' is not a stored {typeof(T).Name}");

    public static bool TryEnum<T>(string text, out T value) where T : struct, Enum => EnumNames<T>.FromText.TryGetValue(text, out value);

    private static class EnumNames<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ToText =
            System.Enum.GetValues<T>().ToDictionary(v => v, DocumentJson.Name);

        public static readonly Dictionary<string, T> FromText = ToText.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
