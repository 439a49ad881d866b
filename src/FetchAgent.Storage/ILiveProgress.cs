using FetchAgent.Engine.Model;

namespace FetchAgent.Storage;

/// <summary>
/// Issue 17: live progress through the database, so that <c>/events</c> on any agent follows a load running on
/// another (PostgreSQL only: a SQLite file has one daemon, whose own loads are followed in its memory). The agent
/// running a load publishes each finished object and the load's end; an agent asked for the load's events follows it.
/// </summary>
public interface ILiveProgress
{
    /// <summary>Writes the notes, in order, in one transaction, and announces each load they name.</summary>
    Task PublishAsync(IReadOnlyList<LiveProgressNote> notes, CancellationToken cancellationToken = default);

    /// <summary>
    /// The progress of load <paramref name="id"/>, which runs on some agent: each object as it finishes there, in that
    /// order; then <see cref="LiveProgressEvent.Ended"/> with the stored document, or
    /// <see cref="LiveProgressEvent.Interrupted"/> when it cannot be followed to its end. Nothing is missed: what a
    /// notification announces is read from the database.
    /// </summary>
    IAsyncEnumerable<LiveProgressEvent> FollowAsync(long id, CancellationToken cancellationToken = default);
}

/// <summary>A load's object finished (<see cref="Object"/>), or the load is stored (<see cref="Object"/> null).</summary>
public sealed record LiveProgressNote(long PageLoadId, ObjectRecord? Object)
{
    public bool Ended => Object is null;
}

/// <summary>What a follower of a load running elsewhere sees.</summary>
public abstract record LiveProgressEvent
{
    private LiveProgressEvent()
    {
    }

    /// <summary>An object finished on the agent running the load.</summary>
    public sealed record ObjectFinished(ObjectRecord Object) : LiveProgressEvent;

    /// <summary>
    /// The load started again from its first object: its agent stopped renewing its lease (it died) and
    /// <paramref name="Agent"/> runs attempt <paramref name="Attempt"/>. The objects before this were the lost attempt's.
    /// </summary>
    public sealed record Restarted(int Attempt, string Agent) : LiveProgressEvent;

    /// <summary>The notifications were interrupted (the listening session broke) and are back; what was missed was read from the table.</summary>
    public sealed record Resumed(string Reason) : LiveProgressEvent;

    /// <summary>The load is stored: the follow ends here.</summary>
    public sealed record Ended(PageLoadDocument Document) : LiveProgressEvent;

    /// <summary>The load cannot be followed further (it was deleted, or its agent could not store it): the follow ends here.</summary>
    public sealed record Interrupted(string Reason) : LiveProgressEvent;
}
