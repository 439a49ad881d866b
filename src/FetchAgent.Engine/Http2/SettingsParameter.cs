namespace FetchAgent.Engine.Http2;

/// <summary>The SETTINGS parameters of RFC 9113 §6.5.2 (and RFC 9218 §2.1's NO_RFC7540_PRIORITIES). Unknown ones are ignored.</summary>
public enum SettingsParameter : ushort
{
    HeaderTableSize = 0x1,
    EnablePush = 0x2,
    MaxConcurrentStreams = 0x3,
    InitialWindowSize = 0x4,
    MaxFrameSize = 0x5,
    MaxHeaderListSize = 0x6,
    EnableConnectProtocol = 0x8,
    NoRfc7540Priorities = 0x9,
}

/// <summary>The names RFC 9113 gives the parameters, as the connection record writes them.</summary>
public static class SettingsParameterNames
{
    public static string Name(ushort id) => (SettingsParameter)id switch
    {
        SettingsParameter.HeaderTableSize => "SETTINGS_HEADER_TABLE_SIZE",
        SettingsParameter.EnablePush => "SETTINGS_ENABLE_PUSH",
        SettingsParameter.MaxConcurrentStreams => "SETTINGS_MAX_CONCURRENT_STREAMS",
        SettingsParameter.InitialWindowSize => "SETTINGS_INITIAL_WINDOW_SIZE",
        SettingsParameter.MaxFrameSize => "SETTINGS_MAX_FRAME_SIZE",
        SettingsParameter.MaxHeaderListSize => "SETTINGS_MAX_HEADER_LIST_SIZE",
        SettingsParameter.EnableConnectProtocol => "SETTINGS_ENABLE_CONNECT_PROTOCOL",
        SettingsParameter.NoRfc7540Priorities => "SETTINGS_NO_RFC7540_PRIORITIES",
        _ => $"0x{id:x}",
    };
}
