using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace Connector.Api.Validation;

/// <summary>Makes FluentValidation name fields as they appear in the JSON (camelCase), so errors point at the body.</summary>
public static class CamelCasePropertyNames
{
    public static string? Resolve(Type type, MemberInfo? member, LambdaExpression? expression) =>
        member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
}
