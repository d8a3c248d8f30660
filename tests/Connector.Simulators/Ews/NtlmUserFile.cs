using System.Runtime.InteropServices;
using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Ews;

/// <summary>
/// Debian's gss-ntlmssp (the real NTLM acceptor behind <c>NegotiateAuthentication</c>) looks users up in the file
/// named by the NTLM_USER_FILE environment variable, one <c>DOMAIN:user:password</c> per line. We keep that file
/// equal to the simulated mailboxes (user = the address's local part). The variable must be set in the native
/// environment, which <c>Environment.SetEnvironmentVariable</c> does not touch on Linux; hence setenv.
/// </summary>
internal static partial class NtlmUserFile
{
    private static readonly Lock Gate = new();
    private static string? _path;

    public static void Track(MailboxDirectory directory, EwsSimulatorOptions options)
    {
        lock (Gate)
        {
            if (_path is null)
            {
                _path = Path.Combine(Directory.CreateTempSubdirectory("ews-sim-ntlm-").FullName, "users");
                if (OperatingSystem.IsLinux()) setenv("NTLM_USER_FILE", _path, 1);
                Environment.SetEnvironmentVariable("NTLM_USER_FILE", _path);
                File.WriteAllText(_path, "");
            }
        }
        directory.MailboxAdded += mailbox => Append(mailbox, options.NtlmDomain);
        foreach (var mailbox in directory.All) Append(mailbox, options.NtlmDomain);
    }

    /// <summary>The NTLM user name of a mailbox: the local part of its address.</summary>
    public static string UserName(Mailbox mailbox) => mailbox.Address.Split('@')[0];

    private static void Append(Mailbox mailbox, string domain)
    {
        // Several simulator hosts in one test process share the file; a user listed twice is harmless.
        lock (Gate) File.AppendAllText(_path!, $"{domain}:{UserName(mailbox)}:{mailbox.Password}\n");
    }

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);
}
