namespace Connector.Simulators.Mailboxes;

/// <summary>
/// One simulated mailbox: folders, items, and a per-folder ordered change log. Every write happens under one lock,
/// gets the next sequence number, a new ChangeKey, a log entry, and is then pushed to subscribers (outside the lock,
/// so a slow subscriber never blocks writers). Delta tokens (Graph) and SyncStates (EWS) are both "folder + epoch +
/// last sequence seen": <see cref="ChangesSince"/> answers both, and <see cref="InvalidateSyncStates"/> bumps the
/// epoch so old tokens fail (Graph 410 syncStateNotFound, EWS ErrorInvalidSyncStateData).
/// </summary>
public sealed class Mailbox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MailFolder> _folders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MailItem> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ChangeEntry>> _log = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _epochs = new(StringComparer.Ordinal);
    private readonly List<Action<MailboxChange>> _subscribers = [];
    private long _sequence;
    private readonly TimeProvider _clock;

    public Mailbox(string address, string displayName, string password, TimeProvider? clock = null)
    {
        Address = address;
        DisplayName = displayName;
        Password = password;
        _clock = clock ?? TimeProvider.System;
        Calendar = AddFolder(FolderKind.Calendar, "Calendar", isDefault: true);
        Tasks = AddFolder(FolderKind.Tasks, "Tasks", isDefault: true);
        Contacts = AddFolder(FolderKind.Contacts, "Contacts", isDefault: true);
    }

    public string Address { get; }
    public string DisplayName { get; }
    public string Password { get; }
    public MailFolder Calendar { get; }
    public MailFolder Tasks { get; }
    public MailFolder Contacts { get; }
    public EmailAddress Email => new(Address, DisplayName);

    // ---- folders -------------------------------------------------------------------------------------------

    public MailFolder AddFolder(FolderKind kind, string displayName, bool isDefault = false, string? parentId = null)
    {
        lock (_gate)
        {
            var folder = new MailFolder(Ids.NewFolderId(), kind, displayName, isDefault, parentId);
            _folders.Add(folder.Id, folder);
            _log.Add(folder.Id, []);
            _epochs.Add(folder.Id, 1);
            return folder;
        }
    }

    public bool DeleteFolder(string folderId)
    {
        lock (_gate)
        {
            if (!_folders.TryGetValue(folderId, out var folder) || folder.IsDefault) return false;
            _folders.Remove(folderId);
            foreach (var id in _items.Where(p => p.Value.FolderId == folderId).Select(p => p.Key).ToList()) _items.Remove(id);
            _log.Remove(folderId);
            _epochs.Remove(folderId);
            return true;
        }
    }

    public MailFolder? RenameFolder(string folderId, string displayName)
    {
        lock (_gate)
        {
            if (!_folders.TryGetValue(folderId, out var folder)) return null;
            return _folders[folderId] = folder with { DisplayName = displayName };
        }
    }

    public MailFolder? FindFolder(string folderId)
    {
        lock (_gate) return _folders.GetValueOrDefault(folderId);
    }

    public IReadOnlyList<MailFolder> Folders(FolderKind kind)
    {
        lock (_gate) return _folders.Values.Where(f => f.Kind == kind).ToList();
    }

    // ---- items ---------------------------------------------------------------------------------------------

    public T? Find<T>(string itemId) where T : MailItem
    {
        lock (_gate) return _items.GetValueOrDefault(itemId) as T;
    }

    public IReadOnlyList<T> Items<T>(string folderId) where T : MailItem
    {
        lock (_gate) return _items.Values.OfType<T>().Where(i => i.FolderId == folderId).OrderBy(i => i.CreatedAt).ToList();
    }

    public IReadOnlyList<MailItem> AllItems()
    {
        lock (_gate) return _items.Values.OrderBy(i => i.FolderId).ThenBy(i => i.CreatedAt).ToList();
    }

    /// <summary>Stores a new item in <paramref name="folderId"/>; assigns id, ChangeKey and timestamps.
    /// A repeated <see cref="MailItem.TransactionId"/> returns the item created first (Graph's idempotent create).</summary>
    public T Create<T>(string folderId, T item) where T : MailItem
    {
        ChangeEntry entry;
        lock (_gate)
        {
            if (!_folders.ContainsKey(folderId)) throw new KeyNotFoundException($"No folder {folderId} in {Address}.");
            if (item.TransactionId is { } tx && _items.Values.OfType<T>().FirstOrDefault(i => i.TransactionId == tx) is { } existing)
                return existing;
            var now = _clock.GetUtcNow();
            var stored = item with
            {
                Id = string.IsNullOrEmpty(item.Id) ? Ids.NewItemId() : item.Id,
                FolderId = folderId, ChangeKey = Ids.NewChangeKey(), CreatedAt = now, LastModifiedAt = now,
            };
            _items.Add(stored.Id, stored);
            entry = Append(folderId, stored, ChangeKind.Created, now);
        }
        Publish(entry);
        return (T)entry.Snapshot;
    }

    /// <summary>Replaces an item by applying <paramref name="change"/> to the current snapshot; new ChangeKey.
    /// When <paramref name="expectedChangeKey"/> is given and stale, nothing is written and the result says so.</summary>
    public UpdateResult<T> Update<T>(string itemId, Func<T, T> change, string? expectedChangeKey = null) where T : MailItem
    {
        ChangeEntry entry;
        lock (_gate)
        {
            if (_items.GetValueOrDefault(itemId) is not T current) return new(UpdateOutcome.NotFound, null);
            if (expectedChangeKey is not null && expectedChangeKey != current.ChangeKey) return new(UpdateOutcome.ChangeKeyMismatch, current);
            var now = _clock.GetUtcNow();
            var updated = change(current) with
            {
                Id = current.Id, FolderId = current.FolderId, CreatedAt = current.CreatedAt,
                ChangeKey = Ids.NewChangeKey(), LastModifiedAt = now,
            };
            _items[itemId] = updated;
            entry = Append(updated.FolderId, updated, ChangeKind.Updated, now);
        }
        Publish(entry);
        return new(UpdateOutcome.Updated, (T)entry.Snapshot);
    }

    public bool Delete(string itemId)
    {
        ChangeEntry entry;
        lock (_gate)
        {
            if (!_items.Remove(itemId, out var current)) return false;
            entry = Append(current.FolderId, current, ChangeKind.Deleted, _clock.GetUtcNow());
        }
        Publish(entry);
        return true;
    }

    /// <summary>Moves an item to another folder of the same mailbox (a delete in one log, a create in the other).</summary>
    public MailItem? Move(string itemId, string targetFolderId)
    {
        ChangeEntry removed, added;
        lock (_gate)
        {
            if (!_items.TryGetValue(itemId, out var current) || !_folders.ContainsKey(targetFolderId)) return null;
            var now = _clock.GetUtcNow();
            var moved = current with { FolderId = targetFolderId, ChangeKey = Ids.NewChangeKey(), LastModifiedAt = now };
            _items[itemId] = moved;
            removed = Append(current.FolderId, current, ChangeKind.Deleted, now);
            added = Append(targetFolderId, moved, ChangeKind.Created, now);
        }
        Publish(removed);
        Publish(added);
        return added.Snapshot;
    }

    // ---- change log, sync state ----------------------------------------------------------------------------

    /// <summary>The current sync position of a folder: what a fresh delta token / SyncState encodes.</summary>
    public SyncPosition Position(string folderId)
    {
        lock (_gate) return new(folderId, _epochs[folderId], _sequence);
    }

    /// <summary>
    /// The log entries of a folder after <paramref name="since"/>, in order, or null when the position is no longer
    /// valid (folder gone or its sync states invalidated). Several changes of one item are all returned; a reader
    /// that wants "latest state per item" keeps the last entry per item id.
    /// </summary>
    public IReadOnlyList<ChangeEntry>? ChangesSince(SyncPosition since)
    {
        lock (_gate)
        {
            if (!_epochs.TryGetValue(since.FolderId, out var epoch) || epoch != since.Epoch) return null;
            return _log[since.FolderId].Where(e => e.Sequence > since.Sequence).ToList();
        }
    }

    /// <summary>
    /// The folder's items as they were at <paramref name="sequence"/> (replayed from the log): what a first delta round
    /// pages through, so items changed or deleted while the client pages are neither skipped nor shown twice.
    /// </summary>
    public IReadOnlyList<T> ItemsAt<T>(string folderId, long sequence) where T : MailItem
    {
        lock (_gate)
        {
            var state = new Dictionary<string, MailItem>(StringComparer.Ordinal);
            if (!_log.TryGetValue(folderId, out var log)) return [];
            foreach (var e in log)
            {
                if (e.Sequence > sequence) break;
                if (e.Kind == ChangeKind.Deleted) state.Remove(e.ItemId); else state[e.ItemId] = e.Snapshot;
            }
            return state.Values.OfType<T>().OrderBy(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The item as it was after the last change at or before <paramref name="sequence"/> (null if it did not exist then).</summary>
    public MailItem? SnapshotAt(string itemId, long sequence)
    {
        lock (_gate)
        {
            ChangeEntry? last = null;
            foreach (var log in _log.Values)
                foreach (var e in log)
                    if (e.ItemId == itemId && e.Sequence <= sequence && (last is null || e.Sequence > last.Sequence)) last = e;
            return last is null || last.Kind == ChangeKind.Deleted ? null : last.Snapshot;
        }
    }

    /// <summary>Makes every delta token / SyncState of the folder invalid (as Exchange does after a reset).</summary>
    public void InvalidateSyncStates(string folderId)
    {
        lock (_gate) _epochs[folderId]++;
    }

    // ---- subscribers ---------------------------------------------------------------------------------------

    /// <summary>Calls <paramref name="onChange"/> after every change of this mailbox until disposed.</summary>
    public IDisposable Subscribe(Action<MailboxChange> onChange)
    {
        lock (_gate) _subscribers.Add(onChange);
        return new Unsubscriber(() => { lock (_gate) _subscribers.Remove(onChange); });
    }

    private ChangeEntry Append(string folderId, MailItem snapshot, ChangeKind kind, DateTimeOffset at)
    {
        var entry = new ChangeEntry(++_sequence, folderId, snapshot.Id, kind, snapshot, at);
        _log[folderId].Add(entry);
        return entry;
    }

    private void Publish(ChangeEntry entry)
    {
        Action<MailboxChange>[] subscribers;
        lock (_gate) subscribers = [.. _subscribers];
        var change = new MailboxChange(Address, entry);
        foreach (var subscriber in subscribers)
        {
            try { subscriber(change); }
            catch { /* a failing subscriber must not undo or block a stored change */ }
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int _disposed;
        public void Dispose() { if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose(); }
    }
}

public enum UpdateOutcome { Updated, NotFound, ChangeKeyMismatch }

public sealed record UpdateResult<T>(UpdateOutcome Outcome, T? Item) where T : MailItem;

/// <summary>A point in a folder's change log; protocol front ends encode it into their own token format.</summary>
public sealed record SyncPosition(string FolderId, int Epoch, long Sequence);

internal static class Ids
{
    // Exchange ids are opaque, URL-safe base64; ours look alike and are unique per process run.
    public static string NewItemId() => "AAMk" + Base64Url(Guid.NewGuid().ToByteArray()) + Base64Url(Guid.NewGuid().ToByteArray()[..6]);
    public static string NewFolderId() => "AAMkF" + Base64Url(Guid.NewGuid().ToByteArray());
    public static string NewChangeKey() => "CQAAA" + Base64Url(Guid.NewGuid().ToByteArray()[..9]);
    public static string NewICalUId() => "040000008200E00074C5B7101A82E008" + Convert.ToHexString(Guid.NewGuid().ToByteArray());
    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
