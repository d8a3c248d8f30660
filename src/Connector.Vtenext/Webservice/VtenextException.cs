namespace Connector.Vtenext.Webservice;

/// <summary>vtenext answered <c>success: false</c>, or did not answer like a vtenext webservice at all.</summary>
public sealed class VtenextException(string code, string vtenextMessage, string operation)
    : Exception($"vtenext {operation} failed: {Explain(code, vtenextMessage)} (code {code})")
{
    public string Code { get; } = code;
    public string VtenextMessage { get; } = vtenextMessage;
    public string Operation { get; } = operation;

    /// <summary>The session is gone; logging in again and repeating the call is safe (vtenext checks the session first).</summary>
    public bool IsSessionError => Code is "INVALID_SESSIONID" or "SESSION_EXPIRED" or "SESSION_LEFT_IDLE" or "AUTHENTICATION_REQUIRED";

    public bool IsNotFound => Code is "RECORD_NOT_FOUND";

    private static string Explain(string code, string message) => code switch
    {
        "INVALID_USER_CREDENTIALS" => "the integration user's name or webservice access key is wrong, or the user is inactive",
        "INVALID_AUTH_TOKEN" => "the login challenge expired before login; check the clocks and the network latency",
        "ACCESS_DENIED" => $"the integration user may not do this ({message}); check its role and sharing rules",
        "RECORD_NOT_FOUND" => "the record does not exist or was deleted",
        "MANDATORY_FIELDS_MISSING" => $"a mandatory field is empty: {message}",
        "QUERY_SYNTAX_ERROR" => $"vtenext rejected the query: {message}",
        "INVALID_ID_ATTRIBUTE" => $"the element id is not valid here: {message}",
        "LOGIN_LOCKED" or "IP_BANNED" => $"vtenext blocks logins from the connector after failed attempts ({message})",
        "DATABASE_QUERY_ERROR" => $"vtenext's database refused the operation: {message}",
        "HTTP_ERROR" or "BAD_RESPONSE" => message,
        _ => message,
    };
}
