using Connector.Api.Security;
using Connector.Api.Validation;
using Connector.Core.Users;
using Connector.Storage.Secrets;
using Connector.Storage.Settings;
using Connector.Storage.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Connector.Api.Features.Users;

/// <summary>Users and their preferences. The list is for admins; a user reads and writes their own preferences.</summary>
public static class UsersEndpoints
{
    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/", ListAsync).WithName("ListUsers").WithSummary("List users with their synchronisation state (admin).")
            .RequireAuthorization(SecurityServices.AdminPolicy);

        var preferences = users.MapGroup("/{crmUserId:int}/preferences").RequireSelfOrAdmin();
        preferences.MapGet("/", GetAsync).WithName("GetPreferences").WithSummary("Read a user's preferences.");
        preferences.MapPut("/", PutAsync).WithName("PutPreferences").WithSummary("Create or replace a user's preferences.")
            .Validate<PreferencesRequest>();
        preferences.MapDelete("/", DeleteAsync).WithName("DeletePreferences")
            .WithSummary("Forget a user's preferences, password and tokens.");
        return users;
    }

    private static async Task<Ok<UserSummary[]>> ListAsync(UserStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(UserSummary.From).ToArray());

    private static async Task<Results<Ok<PreferencesResponse>, ProblemHttpResult>> GetAsync(int crmUserId, UserStore store, CancellationToken ct) =>
        await store.GetAsync(crmUserId, ct) is { } user
            ? TypedResults.Ok(PreferencesResponse.From(user))
            : NotFound(crmUserId);

    private static async Task<Results<Ok<PreferencesResponse>, ValidationProblem>> PutAsync(
        int crmUserId, PreferencesRequest request, UserStore users, SettingsStore settings, CancellationToken ct)
    {
        var preferences = request.ToPreferences(crmUserId);
        var kind = (await settings.GetAsync(ct)).Settings.ExchangeKind;
        if (request.AuthMethod is { } method && !UserPreferences.Fits(method, kind))
            return Invalid("authMethod", $"'{Camel(method)}' does not fit the configured Exchange ({Camel(kind)}): " +
                (kind == Core.Settings.ExchangeKind.Microsoft365 ? "use oauthDelegated or application." : "use ntlm or basic."));
        if (!await users.UpsertAsync(preferences, SecretUpdate.From(request.Password), ct))
            return Invalid("mailbox", $"The mailbox '{preferences.Mailbox}' is already used by another CRM user.");
        return TypedResults.Ok(PreferencesResponse.From((await users.GetAsync(crmUserId, ct))!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int crmUserId, UserStore store, CancellationToken ct) =>
        await store.DeleteAsync(crmUserId, ct) ? TypedResults.NoContent() : NotFound(crmUserId);

    private static ProblemHttpResult NotFound(int crmUserId) =>
        TypedResults.Problem($"CRM user {crmUserId} has no connector preferences.", statusCode: 404, title: "Not found");

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static string Camel<T>(T value) where T : Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
