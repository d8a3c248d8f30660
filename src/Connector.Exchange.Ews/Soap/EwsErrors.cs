namespace Connector.Exchange.Ews.Soap;

/// <summary>An EWS error response (a ResponseMessage with ResponseClass Error, or a SOAP fault).</summary>
public class EwsException(string responseCode, string message) : Exception($"{responseCode}: {message}")
{
    public string ResponseCode { get; } = responseCode;
}

/// <summary>The server is throttling us: wait <see cref="BackOff"/> (from BackOffMilliseconds, 503 Retry-After,
/// or our own schedule for connection-count errors) before trying again.</summary>
public sealed class EwsServerBusyException(string responseCode, string message, TimeSpan backOff)
    : EwsException(responseCode, message)
{
    public TimeSpan BackOff { get; } = backOff;
}

/// <summary>The server's TLS certificate was not accepted. The message names the server.</summary>
public sealed class EwsTlsException(string message, Exception inner) : Exception(message, inner);

/// <summary>The server refused our credentials (HTTP 401 after the NTLM or Basic exchange).</summary>
public sealed class EwsAuthenticationException(string message) : Exception(message);

public static class EwsResponseCodes
{
    public const string NoError = "NoError";
    public const string ErrorServerBusy = "ErrorServerBusy";
    public const string ErrorInvalidSyncStateData = "ErrorInvalidSyncStateData";
    public const string ErrorSubscriptionNotFound = "ErrorSubscriptionNotFound";
    public const string ErrorInvalidSubscription = "ErrorInvalidSubscription";
    public const string ErrorMissedNotificationEvents = "ErrorMissedNotificationEvents";
    public const string ErrorReadEventsFailed = "ErrorReadEventsFailed";
    public const string ErrorInvalidServerVersion = "ErrorInvalidServerVersion";
    public const string ErrorItemNotFound = "ErrorItemNotFound";
    public const string ErrorExceededConnectionCount = "ErrorExceededConnectionCount";
    public const string ErrorExceededSubscriptionCount = "ErrorExceededSubscriptionCount";
    public const string ErrorTooManyObjectsOpened = "ErrorTooManyObjectsOpened";
    public const string ErrorOccurrenceCrossingBoundary = "ErrorOccurrenceCrossingBoundary";
    public const string ErrorCalendarOccurrenceIsDeletedFromRecurrence = "ErrorCalendarOccurrenceIsDeletedFromRecurrence";

    /// <summary>Codes that mean "too much at once": back off and retry rather than fail.</summary>
    public static bool IsThrottling(string code) => code is ErrorServerBusy or ErrorExceededConnectionCount
        or ErrorExceededSubscriptionCount or ErrorTooManyObjectsOpened;

    /// <summary>Codes after which a subscription is gone: subscribe again and catch up with SyncFolderItems.</summary>
    public static bool MeansResubscribe(string code) => code is ErrorSubscriptionNotFound or ErrorInvalidSubscription
        or ErrorMissedNotificationEvents or ErrorReadEventsFailed;
}
