using Npgsql;

namespace FetchAgent.Storage.Postgres;

/// <summary>
/// The agent's one listening connection, as Npgsql recommends for <c>LISTEN</c>: a connection of its own (outside the
/// pool), a loop that waits on it with <see cref="NpgsqlConnection.WaitAsync(CancellationToken)"/> and hands each
/// notification to whoever subscribed to its channel, and, when the connection breaks (the server restarted, an
/// administrator ended the session), a new one after a short pause, <c>LISTEN</c> again, and a word to every
/// subscriber that notifications may have been missed meanwhile (<see cref="Subscription.Reconnected"/>), so it can
/// read what it missed from the tables. It starts with the first subscription.
/// </summary>
internal sealed class PostgresNotifications(PostgresDatabase database) : IAsyncDisposable
{
    /// <summary>The listening session's <c>application_name</c>, so an operator (or a test) can tell it apart.</summary>
    public const string ApplicationName = "fetchagent-listen";

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    /// <summary>The channels FetchAgent notifies on; the one session listens on all of them.</summary>
    private static readonly string[] Channels = [PostgresWorkQueue.Channel, PostgresLiveProgress.Channel];

    private readonly object _sync = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstListen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    /// <summary>Completes once the first <c>LISTEN</c> is in place (or the loop stopped): notifications sent after it are delivered.</summary>
    public Task Listening => _firstListen.Task;

    /// <summary>
    /// Calls <paramref name="notified"/> with each payload sent on <paramref name="channel"/>, and
    /// <paramref name="reconnected"/> each time the listening connection was made again after it broke. Both run on
    /// the listening loop: they must be quick and must not throw.
    /// </summary>
    public Subscription Subscribe(string channel, Action<string> notified, Action reconnected)
    {
        if (!Channels.Contains(channel, StringComparer.Ordinal))
            throw new ArgumentException($"no FetchAgent channel is named {channel}", nameof(channel));
        var subscription = new Subscription(this, channel, notified, reconnected);
        lock (_sync)
        {
            _subscriptions.Add(subscription);
            _loop ??= Task.Run(() => ListenAsync(_stopping.Token));
        }

        return subscription;
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_sync)
            _subscriptions.Remove(subscription);
    }

    private Subscription[] Current()
    {
        lock (_sync)
            return [.. _subscriptions];
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        var pause = FirstPause;
        var broken = false;
        while (!stopping.IsCancellationRequested)
        {
            NpgsqlConnection? connection = null;
            try
            {
                connection = await database.OpenListenerAsync(ApplicationName, stopping).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    foreach (var subscription in Current())
                    {
                        if (subscription.Channel == e.Channel)
                            subscription.Notified(e.Payload);
                    }
                };
                foreach (var channel in Channels)
                {
                    await using var listen = new NpgsqlCommand($"LISTEN {channel};", connection);
                    await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                }

                _firstListen.TrySetResult();
                pause = FirstPause;
                if (broken)
                {
                    // Whatever was sent while no session listened is lost: each subscriber reads it from the tables.
                    foreach (var subscription in Current())
                        subscription.Reconnected();
                    broken = false;
                }

                while (true)
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception)
            {
                // Whatever broke it (the server, the network, the session ended), the loop lives on: a loop that died
                // would leave every follower and the queue to their polls for good.
                broken = true;
                try
                {
                    await Task.Delay(pause, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
            finally
            {
                if (connection is not null)
                    await connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        _firstListen.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task? loop;
        lock (_sync)
            loop = _loop;
        if (loop is not null)
            await loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>One subscriber's interest in a channel; disposing it ends the interest.</summary>
    internal sealed class Subscription(PostgresNotifications owner, string channel, Action<string> notified, Action reconnected) : IDisposable
    {
        public string Channel { get; } = channel;
        public Action<string> Notified { get; } = notified;
        public Action Reconnected { get; } = reconnected;

        public void Dispose() => owner.Unsubscribe(this);
    }
}
