using System.Net;

namespace FetchAgent.TestServers.Capture;

/// <summary>One TCP segment as the kernel handed it to the capture: when, between which ends, which flags, how much payload.</summary>
/// <param name="TimeNs">Capture time, nanoseconds since the Unix epoch (CLOCK_REALTIME, as the kernel stamps it).</param>
/// <param name="Payload">The first bytes of the payload (the capture's snap length cuts the rest); <see cref="PayloadLength"/> is the whole.</param>
public sealed record TcpSegment(
    long TimeNs, IPAddress Source, int SourcePort, IPAddress Destination, int DestinationPort,
    TcpFlags Flags, uint Sequence, int PayloadLength, byte[] Payload)
{
    public bool Has(TcpFlags flag) => (Flags & flag) == flag;

    public override string ToString() => $"{TimeNs} {Source}:{SourcePort} > {Destination}:{DestinationPort} [{Flags}] len {PayloadLength}";
}

[Flags]
public enum TcpFlags : byte
{
    None = 0,
    Fin = 0x01,
    Syn = 0x02,
    Rst = 0x04,
    Psh = 0x08,
    Ack = 0x10,
}
