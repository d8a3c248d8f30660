using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Streaming;
using Connector.Sync.Ports;

namespace Connector.Exchange.Ews.Sync;

/// <summary>How to reach one mailbox's EWS: the client options and a key naming the connection (endpoint + sign-in);
/// mailboxes with the same key can share one streaming connection.</summary>
public sealed record EwsChannelConnection(string ConnectionKey, Func<EwsClient> CreateClient);

/// <summary>
/// The EWS change channels: streaming subscriptions grouped per connection, at most 200 mailboxes on one
/// GetStreamingEvents (<see cref="StreamingGroup"/>: affinity headers, reconnects, resubscribes). Each mailbox's channel
/// joins a group of its connection; a streamed event signals its folders, and every (re)opened connection signals a
/// catch-up of all of them, so a change made while a stream was down is read from the stored SyncState.
/// </summary>
public sealed class EwsChangeChannels(
    Func<MailboxAccount, CancellationToken, Task<EwsChannelConnection>> connect,
    StreamingOptions? options = null) : IChangeChannelFactory
{
    /// <summary>The folders whose changes flow back to the CRM (contacts are one way).</summary>
    private static readonly SyncFolder[] Watched = [SyncFolder.Calendar, SyncFolder.Tasks];

    private readonly Func<MailboxAccount, CancellationToken, Task<EwsChannelConnection>> _connect = connect;
    private readonly StreamingOptions _options = options ?? new StreamingOptions();
    private readonly object _lock = new();
    private readonly Dictionary<string, List<Group>> _groups = new(StringComparer.Ordinal);

    /// <summary>How many streaming groups (connections) are open now, per connection key (status, tests).</summary>
    public IReadOnlyDictionary<string, int[]> GroupSizes
    {
        get { lock (_lock) return _groups.ToDictionary(g => g.Key, g => g.Value.Select(x => x.Count).ToArray()); }
    }

    /// <summary>Times any group (re)opened its stream (status page, tests).</summary>
    public int Connections => Volatile.Read(ref _connections);
    private int _connections;

    public IChangeChannel Create(MailboxAccount account) => new Channel(this, account);

    private sealed class Channel(EwsChangeChannels owner, MailboxAccount account) : IChangeChannel
    {
        public async Task RunAsync(Func<SyncFolder, CancellationToken, Task> onChanges, CancellationToken ct)
        {
            var connection = await owner._connect(account, ct);
            var member = new Member(account, onChanges);
            var group = owner.Join(connection, member);
            try
            {
                // Ends when cancelled, or when the group cannot run at all (refused sign-in, refused certificate).
                await member.Failed.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            finally
            {
                owner.Leave(connection.ConnectionKey, group, member);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Member(MailboxAccount account, Func<SyncFolder, CancellationToken, Task> onChanges)
    {
        public MailboxAccount Account { get; } = account;
        public TaskCompletionSource Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task SignalAsync(CancellationToken ct)
        {
            foreach (var folder in Watched) await onChanges(folder, ct);
        }
    }

    private Group Join(EwsChannelConnection connection, Member member)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(connection.ConnectionKey, out var list)) _groups[connection.ConnectionKey] = list = [];
            var group = list.FirstOrDefault(g => g.Count < StreamingService.MaxSubscriptionsPerConnection);
            if (group is null) list.Add(group = new Group(this, connection.CreateClient()));
            group.Add(member);
            return group;
        }
    }

    private void Leave(string key, Group group, Member member)
    {
        lock (_lock)
        {
            if (!group.Remove(member)) return;
            if (_groups.TryGetValue(key, out var list)) list.Remove(group);
            if (list is { Count: 0 }) _groups.Remove(key);
        }
    }

    /// <summary>
    /// One streaming connection and its mailboxes. A change of membership restarts it with the new set (a
    /// <see cref="StreamingGroup"/> subscribes a fixed set), once per burst of changes; the restart reopens the stream,
    /// which signals a catch-up. (The replaced subscriptions are left to expire on the server.)
    /// </summary>
    private sealed class Group(EwsChangeChannels owner, EwsClient client) : IStreamListener
    {
        private readonly Dictionary<string, Member> _members = new(StringComparer.OrdinalIgnoreCase);
        private CancellationTokenSource? _run;
        private Task _task = Task.CompletedTask;

        public int Count => _members.Count;

        // Called under the owner's lock.
        public void Add(Member member)
        {
            _members[member.Account.Address] = member;
            Restart();
        }

        /// <summary>Removes a member; true when the group is now empty (and stopped).</summary>
        public bool Remove(Member member)
        {
            if (!_members.TryGetValue(member.Account.Address, out var current) || current != member) return false;
            _members.Remove(member.Account.Address);
            Restart();
            return _members.Count == 0;
        }

        /// <summary>Membership changes come in bursts (every user's channel starts at boot): restart once per burst.</summary>
        private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(100);
        private bool _restartPending;

        // Called under the owner's lock.
        private void Restart()
        {
            if (_restartPending) return;
            _restartPending = true;
            _ = Task.Delay(Debounce).ContinueWith(_ =>
            {
                lock (owner._lock)
                {
                    _restartPending = false;
                    RestartNow();
                }
            }, TaskScheduler.Default);
        }

        private void RestartNow()
        {
            var previous = _run;
            previous?.Cancel();
            var previousTask = _task;
            if (_members.Count == 0)
            {
                _run = null;
                _task = previousTask.ContinueWith(_ => { previous?.Dispose(); client.Dispose(); }, TaskScheduler.Default);
                return;
            }
            var run = _run = new CancellationTokenSource();
            var members = _members.Values.ToList();
            _task = Task.Run(async () =>
            {
                try { await previousTask; } catch { /* the previous run's end is not ours to report */ }
                previous?.Dispose();
                await RunAsync(members, run.Token);
            });
        }

        private async Task RunAsync(IReadOnlyList<Member> members, CancellationToken ct)
        {
            var targets = members.Select(m => new StreamTarget(m.Account.Address, m.Account.Address,
                [FolderRef.WellKnown("calendar", m.Account.Address), FolderRef.WellKnown("tasks", m.Account.Address)])).ToList();
            var group = client.CreateStreamingGroup(targets, this, owner._options);
            // Every (re)opened stream may follow a gap (first start, membership change, drop): catch everyone up.
            group.Connected += count =>
            {
                Interlocked.Increment(ref owner._connections);
                _ = Task.Run(() => SignalAllAsync(members, ct), CancellationToken.None);
            };
            try
            {
                await group.RunAsync(ct);
            }
            catch (EwsAuthenticationException e)
            {
                // The sign-in was refused: each member's user must enter new credentials (the supervisor parks them).
                foreach (var m in members) m.Failed.TrySetException(new NeedsSignInException(e.Message, e) { CrmUserId = m.Account.CrmUserId });
            }
            catch (Exception e) when (e is EwsTlsException or ArgumentException)
            {
                // Trust or settings must be fixed: the channels fail, the supervisor retries them later.
                foreach (var m in members) m.Failed.TrySetException(e);
            }
        }

        private async Task SignalAllAsync(IReadOnlyList<Member> members, CancellationToken ct)
        {
            foreach (var m in members)
            {
                try { await m.SignalAsync(ct); }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
                catch (Exception e) { m.Failed.TrySetException(e); }
            }
        }

        private Member? MemberOf(StreamTarget target)
        {
            lock (owner._lock) return _members.GetValueOrDefault(target.Key);
        }

        public async Task OnEventsAsync(StreamTarget target, IReadOnlyList<StreamEvent> events, CancellationToken ct)
        {
            // Events are hints: the engine reads each watched folder since its cursor (the item's folder id is opaque here).
            if (MemberOf(target) is { } m) await m.SignalAsync(ct);
        }

        public async Task OnCatchUpAsync(StreamTarget target, string reason, CancellationToken ct)
        {
            if (MemberOf(target) is { } m) await m.SignalAsync(ct);
        }
    }
}
