namespace Connector.Simulators.Vtenext;

/// <summary>An error answered as <c>{"success":false,"error":{"code","message"}}</c>, with vtenext's codes.</summary>
public sealed class WebserviceException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    public static WebserviceException Mandatory(string field) => new("MANDATORY_FIELDS_MISSING", $"{field} does not have a value");
    public static WebserviceException InvalidId(string id) => new("INVALID_ID_ATTRIBUTE", $"Id specified is incorrect: {id}");
    public static WebserviceException NotFound() => new("RECORD_NOT_FOUND", "Record you are trying to access is not found");
    public static WebserviceException Syntax(string message) => new("QUERY_SYNTAX_ERROR", message);
    public static WebserviceException Invalid(string field, string value) => new("INVALID_PARAMETER", $"Invalid value '{value}' for {field}");
}
