namespace FetchAgent.Engine.Connections;

/// <summary>What the pool gave a request: a connection to use, or a slot to open one in.</summary>
internal readonly record struct Lease(PersistentConnection? Connection)
{
    public static Lease OpenNew => new(null);

    public bool MustOpen => Connection is null;
}
