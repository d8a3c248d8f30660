using Microsoft.AspNetCore.DataProtection;

namespace Connector.Storage.Secrets;

/// <summary>
/// Encrypts passwords, client secrets, access keys and token caches before they reach the database, with
/// ASP.NET Core Data Protection (key ring in <c>Connector:DataProtectionKeysPath</c>).
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Connector.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string ciphertext) => _protector.Unprotect(ciphertext);
}

/// <summary>
/// How a write-only secret field of a PUT is applied: absent or null keeps the stored value, an empty string
/// clears it, anything else replaces it.
/// </summary>
public readonly record struct SecretUpdate(bool Change, string? Value)
{
    public static SecretUpdate Keep => new(false, null);

    public static SecretUpdate From(string? requested) =>
        requested is null ? Keep : new SecretUpdate(true, requested.Length == 0 ? null : requested);

    /// <summary>The ciphertext to store, given the stored one.</summary>
    public string? Apply(string? storedCiphertext, SecretProtector protector) =>
        !Change ? storedCiphertext : Value is null ? null : protector.Protect(Value);
}
