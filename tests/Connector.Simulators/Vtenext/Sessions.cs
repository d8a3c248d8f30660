using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Connector.Simulators.Vtenext;

/// <summary>Challenge tokens and web service sessions, with vtenext's life span and idle limits.</summary>
public sealed class Sessions(VtenextSimulatorOptions options, TimeProvider clock)
{
    private static readonly TimeSpan ChallengeLife = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (string UserName, DateTimeOffset Expires)> _challenges = new();
    private readonly ConcurrentDictionary<string, Session> _sessions = new();

    public sealed class Session(int userId, DateTimeOffset started)
    {
        public int UserId { get; } = userId;
        public DateTimeOffset Started { get; } = started;
        public DateTimeOffset LastUsed { get; set; } = started;
    }

    public (string Token, DateTimeOffset Expires) Challenge(string userName)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = clock.GetUtcNow() + ChallengeLife;
        // vtenext keeps earlier tokens valid until they expire, so parallel logins do not collide.
        _challenges[token] = (userName, expires);
        return (token, expires);
    }

    /// <summary>The tokens challenged for this user and still valid.</summary>
    public IEnumerable<string> ValidTokens(string userName) =>
        _challenges.Where(c => c.Value.UserName == userName && c.Value.Expires > clock.GetUtcNow()).Select(c => c.Key);

    public string Start(int userId)
    {
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(13));
        _sessions[name] = new Session(userId, clock.GetUtcNow());
        return name;
    }

    public Session Resume(string? sessionName)
    {
        if (string.IsNullOrEmpty(sessionName) || sessionName.Equals("null", StringComparison.OrdinalIgnoreCase))
            throw new WebserviceException("AUTHENTICATION_REQUIRED", "Authencation required");
        if (!_sessions.TryGetValue(sessionName, out var session))
            throw new WebserviceException("INVALID_SESSIONID", "Session Identifier provided is Invalid");
        var now = clock.GetUtcNow();
        if (now - session.Started > TimeSpan.FromSeconds(options.SessionLifeSeconds))
        {
            _sessions.TryRemove(sessionName, out _);
            throw new WebserviceException("SESSION_EXPIRED", "Session has life span over please login again");
        }
        if (now - session.LastUsed > TimeSpan.FromSeconds(options.SessionIdleSeconds))
        {
            _sessions.TryRemove(sessionName, out _);
            throw new WebserviceException("SESSION_LEFT_IDLE", "Session has been invalidated to due lack activity");
        }
        session.LastUsed = now;
        return session;
    }

    /// <summary>Control: forget every session, as a vtenext restart or session garbage collection would.</summary>
    public int ExpireAll()
    {
        var count = _sessions.Count;
        _sessions.Clear();
        return count;
    }

    public void Logout(string sessionName) => _sessions.TryRemove(sessionName, out _);
}
