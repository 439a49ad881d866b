namespace FetchAgent.Engine.Http2;

/// <summary>One field of a decoded HPACK block: a name (lower case in HTTP/2, §8.2.1 of RFC 9113) and its value.</summary>
public readonly record struct HpackField(string Name, string Value)
{
    /// <summary>RFC 7541 §4.1: an entry's size is its name and value in octets plus 32.</summary>
    public int Size => Name.Length + Value.Length + 32;
}
