namespace FetchAgent.Engine.Navigation;

/// <summary>TCP states as the kernel numbers them (include/net/tcp_states.h).</summary>
public enum TcpSocketState
{
    Established = 0x01,
    SynSent = 0x02,
    SynReceived = 0x03,
    FinWait1 = 0x04,
    FinWait2 = 0x05,
    TimeWait = 0x06,
    Close = 0x07,
    CloseWait = 0x08,
    LastAck = 0x09,
    Listen = 0x0A,
    Closing = 0x0B,
}
