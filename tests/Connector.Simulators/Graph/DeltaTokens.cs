using System.Text;
using System.Text.Json;
using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Graph;

/// <summary>
/// What a Graph delta or skip token carries: the folder's sync position (epoch + sequence) and, for
/// calendarView, the window. <c>Since</c> null means "initial round" (everything in the window); otherwise changes
/// after that sequence. <c>Offset</c> pages inside one round; <c>Next</c> is the position the round ends at.
/// Tokens are opaque to clients (base64url JSON here).
/// </summary>
public sealed record DeltaState(string FolderId, int Epoch, long? Since, long Next, int Offset, DateTimeOffset? Start, DateTimeOffset? End)
{
    public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static DeltaState? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var s = token.Replace('-', '+').Replace('_', '/');
            return JsonSerializer.Deserialize<DeltaState>(Encoding.UTF8.GetString(Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='))));
        }
        catch (Exception e) when (e is FormatException or JsonException) { return null; }
    }

    public SyncPosition SincePosition => new(FolderId, Epoch, Since ?? 0);
}
