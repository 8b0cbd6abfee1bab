using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;

namespace CandidateFiles.Sandbox;

/// <summary>
/// Everything the sandbox remembers: issued tokens, uploaded files and artifacts, counters and the
/// request log. One instance per app (a DI singleton); every member is safe to call concurrently.
/// </summary>
public sealed class SandboxState
{
    private readonly SandboxOptions _options;
    private readonly ConcurrentQueue<SandboxRequest> _requests = new();
    private readonly ConcurrentDictionary<string, EhrwebToken> _ehrwebTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HrMaxSession> _hrMaxTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HrMaxStoredFile> _hrMaxFiles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _hhExpiredTokens = new(StringComparer.Ordinal);
    private readonly byte[] _jwtKey = RandomNumberGenerator.GetBytes(32);
    private readonly Lock _hhGate = new();
    private readonly List<HhArtifact> _hhArtifacts = [];
    private long _hhNextId = HhFirstArtifactId;
    private int _tokenRequestCount;
    private int _hrMaxSignInCount;

    private const long HhFirstArtifactId = 92_300_000;

    /// <summary>Creates the state for one sandbox app.</summary>
    public SandboxState(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The options the sandbox runs with.</summary>
    public SandboxOptions Options => _options;

    /// <summary>Calls to the 104 token endpoint (<c>POST /oauth2/token</c>), successful or not.</summary>
    public int TokenRequestCount => Volatile.Read(ref _tokenRequestCount);

    /// <summary>Calls to HR Max sign-in (<c>POST /api/auth/signIn</c>), successful or not.</summary>
    public int HrMaxSignInCount => Volatile.Read(ref _hrMaxSignInCount);

    /// <summary>Snapshot of the logged requests, oldest first (at most <see cref="SandboxOptions.MaxLoggedRequests"/>).</summary>
    public IReadOnlyCollection<SandboxRequest> Requests => _requests.ToArray();

    /// <summary>Number of files currently stored by HR Max <c>POST /api/file/attach</c>.</summary>
    public int HrMaxFileCount => _hrMaxFiles.Count;

    /// <summary>Number of hh.ru artifacts currently stored, all users together.</summary>
    public int HeadHunterArtifactCount
    {
        get
        {
            lock (_hhGate)
            {
                return _hhArtifacts.Count;
            }
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _everIssued = new();

    private readonly System.Collections.Concurrent.ConcurrentQueue<SandboxRequest> _everLogged = new();

    /// <summary>Every request since start, never cleared by <see cref="Reset"/> (first 100 000): for checks over a whole test run.</summary>
    public IReadOnlyCollection<SandboxRequest> EverLoggedRequests => _everLogged.ToArray();

    /// <summary>Every access token issued since start (never cleared): the secrets a leak check looks for.</summary>
    public IReadOnlyCollection<string> EverIssuedTokens => _everIssued.ToArray();

    /// <summary>Injected faults (test-only): see <see cref="InjectFault"/>.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>The next <paramref name="times"/> requests to <paramref name="path"/> get <paramref name="plan"/> instead of the normal answer.</summary>
    /// <param name="path">Request path, for example "/oauth2/token" or "/artifacts/photo".</param>
    /// <param name="plan">The fault.</param>
    /// <param name="times">How many requests get it.</param>
    public void InjectFault(string path, FaultPlan plan, int times = 1) => Faults.Add(path, plan, times);

    /// <summary>
    /// Expires, right now, every 104 OAuth access token and every HR Max access token issued so far
    /// (they get 401 from then on). hh.ru tokens are fixed; see <see cref="ExpireHeadHunterToken"/>.
    /// </summary>
    public void ExpireAllTokens()
    {
        _ehrwebTokens.Clear();
        _hrMaxTokens.Clear();
    }

    /// <summary>
    /// Back to the freshly started state: no tokens, no uploaded HR Max files, no hh.ru artifacts,
    /// no expired hh.ru tokens, counters at zero, empty request log. Seeded data is unaffected.
    /// </summary>
    public void Reset()
    {
        Faults.Clear();
        _ehrwebTokens.Clear();
        _hrMaxTokens.Clear();
        _hrMaxFiles.Clear();
        _hhExpiredTokens.Clear();
        lock (_hhGate)
        {
            _hhArtifacts.Clear();
            _hhNextId = HhFirstArtifactId;
        }

        Interlocked.Exchange(ref _tokenRequestCount, 0);
        Interlocked.Exchange(ref _hrMaxSignInCount, 0);
        _requests.Clear();
    }

    /// <summary>
    /// Mints a valid 104 access token for a known client (<see cref="SandboxCredentials.EhrwebClientId"/> or
    /// <see cref="SandboxCredentials.EhrwebOtherClientId"/>) without calling the token endpoint; it does
    /// not count in <see cref="TokenRequestCount"/>.
    /// </summary>
    public string IssueEhrwebToken(string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        var guiNum = EhrwebClients.GuiNumOf(clientId)
            ?? throw new ArgumentException($"Unknown 104 sandbox client '{clientId}'.", nameof(clientId));
        return IssueEhrwebTokenCore(clientId, guiNum);
    }

    /// <summary>
    /// Mints a valid HR Max access token (a JWT-looking string) for a known account
    /// (<see cref="SandboxCredentials.HrMaxAccount"/> or <see cref="SandboxCredentials.HrMaxViewerAccount"/>)
    /// without signing in.
    /// </summary>
    public string IssueHrMaxToken(string account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var user = HrMaxUsers.Find(account)
            ?? throw new ArgumentException($"Unknown HR Max sandbox account '{account}'.", nameof(account));
        return IssueHrMaxTokenCore(user);
    }

    /// <summary>From now on, hh.ru requests with <paramref name="token"/> get 403 oauth/token_expired.</summary>
    public void ExpireHeadHunterToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        _hhExpiredTokens[token] = true;
    }

    // ---------------------------------------------------------------- request log

    internal void Log(SandboxRequest request)
    {
        _requests.Enqueue(request);
        if (_everLogged.Count < 100_000)
        {
            _everLogged.Enqueue(request);
        }

        while (_requests.Count > _options.MaxLoggedRequests && _requests.TryDequeue(out _))
        {
        }
    }

    // ---------------------------------------------------------------- 104 Ehrweb

    internal void CountTokenRequest() => Interlocked.Increment(ref _tokenRequestCount);

    internal string IssueEhrwebTokenCore(string clientId, string guiNum)
    {
        var token = SandboxHttp.RandomToken();
        _ehrwebTokens[token] = new EhrwebToken(clientId, guiNum, Now + _options.TokenLifetime);
        _everIssued.Enqueue(token);
        return token;
    }

    /// <summary>The company (guiNum) of a live 104 token, or null when unknown or expired.</summary>
    internal string? EhrwebTokenCompany(string token)
    {
        if (!_ehrwebTokens.TryGetValue(token, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt <= Now)
        {
            _ehrwebTokens.TryRemove(token, out _);
            return null;
        }

        return entry.GuiNum;
    }

    // ---------------------------------------------------------------- HR Max

    internal void CountHrMaxSignIn() => Interlocked.Increment(ref _hrMaxSignInCount);

    internal string IssueHrMaxTokenCore(HrMaxUser user)
    {
        var issuedAt = Now;
        var expiresAt = issuedAt + _options.TokenLifetime;
        var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["USER_ID"] = user.UserId,
            ["account"] = user.Account,
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
        var signingInput = SandboxHttp.Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))
            + "." + SandboxHttp.Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = HMACSHA256.HashData(_jwtKey, Encoding.ASCII.GetBytes(signingInput));
        var token = signingInput + "." + SandboxHttp.Base64Url(signature);
        _hrMaxTokens[token] = new HrMaxSession(user, expiresAt);
        _everIssued.Enqueue(token);
        return token;
    }

    /// <summary>The user of a live HR Max access token, or null when unknown or expired.</summary>
    internal HrMaxUser? HrMaxTokenUser(string token)
    {
        if (!_hrMaxTokens.TryGetValue(token, out var session))
        {
            return null;
        }

        if (session.ExpiresAt <= Now)
        {
            _hrMaxTokens.TryRemove(token, out _);
            return null;
        }

        return session.User;
    }

    internal void StoreHrMaxFile(HrMaxStoredFile file) => _hrMaxFiles[file.Uuid] = file;

    internal HrMaxStoredFile? FindHrMaxFile(string uuid) => _hrMaxFiles.TryGetValue(uuid, out var file) ? file : null;

    internal bool RemoveHrMaxFile(string uuid) => _hrMaxFiles.TryRemove(uuid, out _);

    // ---------------------------------------------------------------- hh.ru

    internal bool IsHeadHunterTokenExpired(string token) => _hhExpiredTokens.ContainsKey(token);

    /// <summary>Adds an artifact unless the owner already has the maximum of its type (hh.ru counts per type); null when the limit is reached.</summary>
    internal HhArtifact? TryAddArtifact(string ownerId, string type, string? description, byte[] content, string contentType, int maxPerUser)
    {
        lock (_hhGate)
        {
            if (_hhArtifacts.Count(a => a.OwnerId == ownerId && a.Type == type) >= maxPerUser)
            {
                return null;
            }

            var id = (_hhNextId++).ToString(CultureInfo.InvariantCulture);
            var added = new HhArtifact(id, ownerId, type, description, content, contentType, Now);
            _hhArtifacts.Add(added);
            return added;
        }
    }

    /// <summary>How many artifacts of <paramref name="type"/> the owner has (the conditions' <c>counters.uploaded</c>).</summary>
    internal int CountArtifacts(string ownerId, string type)
    {
        lock (_hhGate)
        {
            return _hhArtifacts.Count(a => a.OwnerId == ownerId && a.Type == type);
        }
    }

    /// <summary>The owner's artifacts of one type, in upload order.</summary>
    internal List<HhArtifact> ListArtifacts(string ownerId, string type)
    {
        lock (_hhGate)
        {
            return _hhArtifacts.FindAll(a => a.OwnerId == ownerId && a.Type == type);
        }
    }

    internal HhArtifact? FindArtifact(string id)
    {
        lock (_hhGate)
        {
            return _hhArtifacts.Find(a => a.Id == id);
        }
    }

    internal bool TryUpdateArtifactDescription(string ownerId, string id, string description)
    {
        lock (_hhGate)
        {
            var index = _hhArtifacts.FindIndex(a => a.Id == id && a.OwnerId == ownerId);
            if (index < 0)
            {
                return false;
            }

            _hhArtifacts[index] = _hhArtifacts[index] with { Description = description };
            return true;
        }
    }

    internal bool TryDeleteArtifact(string ownerId, string id)
    {
        lock (_hhGate)
        {
            return _hhArtifacts.RemoveAll(a => a.Id == id && a.OwnerId == ownerId) > 0;
        }
    }

    internal DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    private sealed record EhrwebToken(string ClientId, string GuiNum, DateTimeOffset ExpiresAt);

    private sealed record HrMaxSession(HrMaxUser User, DateTimeOffset ExpiresAt);
}
