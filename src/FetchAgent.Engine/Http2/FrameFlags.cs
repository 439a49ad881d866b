namespace FetchAgent.Engine.Http2;

/// <summary>The flag bits of RFC 9113 §6; a bit means something only on the frame types that define it.</summary>
[Flags]
public enum FrameFlags : byte
{
    None = 0,

    /// <summary>END_STREAM on DATA and HEADERS (§6.1, §6.2).</summary>
    EndStream = 0x1,

    /// <summary>ACK on SETTINGS and PING (§6.5, §6.7): the same bit as END_STREAM.</summary>
    Ack = 0x1,

    /// <summary>END_HEADERS on HEADERS and CONTINUATION (§6.2, §6.10).</summary>
    EndHeaders = 0x4,

    /// <summary>PADDED on DATA and HEADERS (§6.1, §6.2).</summary>
    Padded = 0x8,

    /// <summary>PRIORITY on HEADERS (§6.2): five bytes of RFC 7540 priority before the field block, ignored.</summary>
    Priority = 0x20,
}
