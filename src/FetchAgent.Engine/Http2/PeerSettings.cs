using System.Buffers.Binary;

namespace FetchAgent.Engine.Http2;

/// <summary>
/// What the server's SETTINGS frames said (RFC 9113 §6.5.2), starting from the initial values a connection has
/// before the first SETTINGS arrives. Each later SETTINGS frame changes only the parameters it carries.
/// </summary>
public sealed class PeerSettings
{
    /// <summary>The initial flow-control window of every stream and of the connection (§6.9.2).</summary>
    public const int DefaultWindowSize = 65_535;

    /// <summary>The smallest SETTINGS_MAX_FRAME_SIZE, and the initial one (§6.5.2).</summary>
    public const int DefaultMaxFrameSize = 16_384;

    /// <summary>The largest SETTINGS_MAX_FRAME_SIZE a peer may set (§6.5.2): 2^24 − 1.</summary>
    public const int LargestMaxFrameSize = 16_777_215;

    public int HeaderTableSize { get; private set; } = 4096;

    /// <summary>Null while the server has set no limit (§6.5.2: "initially, there is no limit").</summary>
    public long? MaxConcurrentStreams { get; private set; }

    public int InitialWindowSize { get; private set; } = DefaultWindowSize;

    public int MaxFrameSize { get; private set; } = DefaultMaxFrameSize;

    public long? MaxHeaderListSize { get; private set; }

    /// <summary>Every parameter received, in the order it came, by its RFC name: the connection record's <c>peerSettings</c>.</summary>
    public Dictionary<string, long> Received { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Applies one SETTINGS frame's payload (six bytes a parameter) and returns how much the initial stream window
    /// moved, which §6.9.2 applies to every open stream.
    /// </summary>
    public int Apply(ReadOnlySpan<byte> payload)
    {
        var windowDelta = 0;
        for (var i = 0; i + 6 <= payload.Length; i += 6)
        {
            var id = BinaryPrimitives.ReadUInt16BigEndian(payload[i..]);
            var value = BinaryPrimitives.ReadUInt32BigEndian(payload[(i + 2)..]);
            switch ((SettingsParameter)id)
            {
                case SettingsParameter.HeaderTableSize:
                    HeaderTableSize = (int)Math.Min(value, int.MaxValue);
                    break;
                case SettingsParameter.EnablePush when value > 1:
                    throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"http2: SETTINGS_ENABLE_PUSH of {value} (§6.5.2 allows 0 or 1)");
                case SettingsParameter.EnablePush when value == 1:
                    // §6.5.2: a client MUST treat ENABLE_PUSH of 1 from a server as a connection error.
                    throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "http2: the server sent SETTINGS_ENABLE_PUSH of 1 (§6.5.2)");
                case SettingsParameter.MaxConcurrentStreams:
                    MaxConcurrentStreams = value;
                    break;
                case SettingsParameter.InitialWindowSize:
                    if (value > int.MaxValue)
                        throw new Http2ProtocolException(Http2ErrorCode.FlowControlError, $"http2: SETTINGS_INITIAL_WINDOW_SIZE of {value} is above 2^31-1 (§6.5.2)");
                    windowDelta += (int)value - InitialWindowSize;
                    InitialWindowSize = (int)value;
                    break;
                case SettingsParameter.MaxFrameSize:
                    if (value < DefaultMaxFrameSize || value > LargestMaxFrameSize)
                        throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"http2: SETTINGS_MAX_FRAME_SIZE of {value} is outside 16384..16777215 (§6.5.2)");
                    MaxFrameSize = (int)value;
                    break;
                case SettingsParameter.MaxHeaderListSize:
                    MaxHeaderListSize = value;
                    break;
            }

            Received[SettingsParameterNames.Name(id)] = value;
        }

        return windowDelta;
    }
}
