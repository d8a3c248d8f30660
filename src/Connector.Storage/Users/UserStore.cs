using Connector.Core.Settings;
using Connector.Core.Users;
using Connector.Storage.Database;
using Connector.Storage.Secrets;
using Dapper;

namespace Connector.Storage.Users;

/// <summary>A user's preferences as stored, with their state and whether a password is set.</summary>
public sealed record StoredUser(UserPreferences Preferences, bool PasswordSet, UserState State, string? StateReason,
    DateTime CreatedAt, DateTime UpdatedAt);

public sealed class UserStore(DbConnectionFactory db, SecretProtector protector)
{
    /// <summary>
    /// How long the list of synced mailboxes is reused. Every record sync needs it (who else holds a copy); read per job
    /// it was a scan of every user's row, token caches included (2,000 users in the benchmark). A change of a user's
    /// preferences here drops it at once; another instance's change is seen within this time.
    /// </summary>
    public static readonly TimeSpan MailboxesCacheFor = TimeSpan.FromSeconds(1);

    private readonly ShortLivedCache<IReadOnlyList<(int CrmUserId, string Mailbox)>> _mailboxes = new(MailboxesCacheFor);

    /// <summary>Enabled users that have a mailbox: CRM user id and the mailbox as stored.</summary>
    public Task<IReadOnlyList<(int CrmUserId, string Mailbox)>> EnabledMailboxesAsync(CancellationToken cancellationToken = default) =>
        _mailboxes.GetAsync(async () =>
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            return (IReadOnlyList<(int, string)>)(await connection.QueryAsync<(int, string)>(new CommandDefinition(
                "SELECT crm_user_id, mailbox FROM exc_users WHERE enabled = 1 AND mailbox IS NOT NULL AND mailbox <> '' ORDER BY crm_user_id",
                cancellationToken: cancellationToken))).ToList();
        });

    private void Changed() => _mailboxes.Invalidate();

    public async Task<StoredUser?> GetAsync(int crmUserId, CancellationToken cancellationToken = default) =>
        (await ReadRowAsync(crmUserId, cancellationToken))?.ToStoredUser();

    /// <summary>Users who must sign in again (their channels stay stopped): ids only, no secrets read.</summary>
    public async Task<IReadOnlySet<int>> WaitingForSignInAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<int>(new CommandDefinition("SELECT crm_user_id FROM exc_users WHERE state = @state",
            new { state = nameof(UserState.NeedsSignIn) }, cancellationToken: cancellationToken))).ToHashSet();
    }

    public async Task<IReadOnlyList<StoredUser>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow>(
            new CommandDefinition("SELECT * FROM exc_users ORDER BY crm_user_id", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToStoredUser()).ToList();
    }

    /// <summary>
    /// Creates or replaces a user's preferences. A disabled user is in state Disabled; enabling moves them to
    /// Active (later issues refine this, e.g. NeedsSignIn until OAuth completes). Returns false when another user
    /// already has the mailbox.
    /// </summary>
    public async Task<bool> UpsertAsync(UserPreferences preferences, SecretUpdate password, CancellationToken cancellationToken = default)
    {
        Changed();
        try { return await UpsertRowAsync(preferences, password, cancellationToken); }
        finally { Changed(); }
    }

    private async Task<bool> UpsertRowAsync(UserPreferences preferences, SecretUpdate password, CancellationToken cancellationToken)
    {
        var current = await ReadRowAsync(preferences.CrmUserId, cancellationToken);
        var state = NextState(current, preferences, password);
        var values = new
        {
            preferences.CrmUserId, preferences.Enabled, preferences.Mailbox,
            AuthMethod = preferences.AuthMethod.ToString(), preferences.Username,
            Password = password.Apply(current?.password_protected, protector),
            preferences.Features.Calendar, preferences.Features.Tasks, preferences.Features.Contacts,
            State = state.ToString(),
            StateReason = state is UserState.Active or UserState.Disabled ? null : current?.state_reason,
        };
        await using var connection = await db.OpenAsync(cancellationToken);
        try
        {
            // UPDATE then INSERT rather than INSERT … ON DUPLICATE KEY UPDATE: the latter would also fire on the unique
            // mailbox key and overwrite the other user's row.
            var found = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE exc_users SET enabled = @Enabled, mailbox = @Mailbox, auth_method = @AuthMethod, username = @Username,
                  password_protected = @Password, feature_calendar = @Calendar, feature_tasks = @Tasks,
                  feature_contacts = @Contacts, state = @State, state_reason = @StateReason, updated_at = UTC_TIMESTAMP(6)
                WHERE crm_user_id = @CrmUserId
                """, values, cancellationToken: cancellationToken));
            if (found == 0)
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO exc_users (crm_user_id, enabled, mailbox, auth_method, username, password_protected,
                      feature_calendar, feature_tasks, feature_contacts, state, state_reason, created_at, updated_at)
                    VALUES (@CrmUserId, @Enabled, @Mailbox, @AuthMethod, @Username, @Password,
                      @Calendar, @Tasks, @Contacts, @State, @StateReason, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))
                    """, values, cancellationToken: cancellationToken));
            return true;
        }
        catch (MySql.Data.MySqlClient.MySqlException e) when (e.Number == 1062) // the mailbox belongs to another user
        {
            return false;
        }
    }

    // A problem (needs sign-in, error) stays until the mailbox or sign-in method changes, or (needs sign-in) the user
    // enters credentials again: a password typed anew, even the same one (an expired account may have been renewed), or
    // another user name. Otherwise enabled = active.
    private static UserState NextState(UserRow? current, UserPreferences preferences, SecretUpdate password)
    {
        if (!preferences.Enabled) return UserState.Disabled;
        if (current is null) return UserState.Active;
        var previous = Enum.Parse<UserState>(current.state);
        var sameMailbox = current.mailbox == preferences.Mailbox && current.auth_method == preferences.AuthMethod.ToString();
        var newCredentials = password is { Change: true, Value: not null } || current.username != preferences.Username;
        if (previous is UserState.NeedsSignIn && newCredentials) return UserState.Active;
        return previous is UserState.NeedsSignIn or UserState.Error && sameMailbox ? previous : UserState.Active;
    }

    public async Task<bool> DeleteAsync(int crmUserId, CancellationToken cancellationToken = default)
    {
        Changed();
        await using var connection = await db.OpenAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM exc_users WHERE crm_user_id = @crmUserId", new { crmUserId }, cancellationToken: cancellationToken)) > 0;
        Changed();
        return deleted;
    }

    public async Task SetStateAsync(int crmUserId, UserState state, string? reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE exc_users SET state = @State, state_reason = @reason, updated_at = UTC_TIMESTAMP(6) WHERE crm_user_id = @crmUserId",
            new { crmUserId, State = state.ToString(), reason }, cancellationToken: cancellationToken));
    }

    /// <summary>The NTLM/Basic password, decrypted, for the EWS adapter only.</summary>
    public async Task<string?> GetPasswordAsync(int crmUserId, CancellationToken cancellationToken = default) =>
        (await ReadRowAsync(crmUserId, cancellationToken))?.password_protected is { } c ? protector.Unprotect(c) : null;

    /// <summary>The user's serialized MSAL token cache, decrypted.</summary>
    public async Task<byte[]?> GetTokenCacheAsync(int crmUserId, CancellationToken cancellationToken = default) =>
        (await ReadRowAsync(crmUserId, cancellationToken))?.token_cache_protected is { } c
            ? Convert.FromBase64String(protector.Unprotect(c)) : null;

    public async Task SetTokenCacheAsync(int crmUserId, byte[]? cache, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE exc_users SET token_cache_protected = @cache WHERE crm_user_id = @crmUserId",
            new { crmUserId, cache = cache is null ? null : protector.Protect(Convert.ToBase64String(cache)) },
            cancellationToken: cancellationToken));
    }

    private async Task<UserRow?> ReadRowAsync(int crmUserId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            "SELECT * FROM exc_users WHERE crm_user_id = @crmUserId", new { crmUserId }, cancellationToken: cancellationToken));
    }

#pragma warning disable IDE1006 // column names
    private sealed record UserRow
    {
        public int crm_user_id { get; init; }
        public bool enabled { get; init; }
        public string? mailbox { get; init; }
        public string auth_method { get; init; } = "";
        public string? username { get; init; }
        public string? password_protected { get; init; }
        public bool feature_calendar { get; init; }
        public bool feature_tasks { get; init; }
        public bool feature_contacts { get; init; }
        public string state { get; init; } = "";
        public string? state_reason { get; init; }
        public string? token_cache_protected { get; init; }
        public DateTime created_at { get; init; }
        public DateTime updated_at { get; init; }

        public StoredUser ToStoredUser() => new(
            new UserPreferences
            {
                CrmUserId = crm_user_id,
                Enabled = enabled,
                Mailbox = mailbox,
                AuthMethod = Enum.Parse<AuthMethod>(auth_method),
                Username = username,
                Features = new FeatureSet(feature_calendar, feature_tasks, feature_contacts),
            },
            password_protected is not null, Enum.Parse<UserState>(state), state_reason, created_at, updated_at);
    }
#pragma warning restore IDE1006
}
