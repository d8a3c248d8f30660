using System.Globalization;
using System.Text.Json;
using Dapper;
using MySql.Data.MySqlClient;

namespace Connector.Simulators.Vtenext;

/// <summary>The session user as the web service sees them.</summary>
/// <param name="DateFormat">vtenext's user date format: dd-mm-yyyy, mm-dd-yyyy or yyyy-mm-dd</param>
public sealed record WsUser(int Id, string UserName, string? Email, bool IsAdmin, TimeZoneInfo Zone, string DateFormat = "yyyy-mm-dd");

/// <summary>create / retrieve / revise / delete / query against the vte_ tables, with vtenext's id format and time zones:
/// calendar dates and times travel in the session user's zone and are stored in the server's; query returns stored values.</summary>
public sealed class RecordStore(VtenextDatabase db, MySqlConnection connection, WsUser user)
{
    private Dictionary<string, int>? _prefixes;

    public async Task<Dictionary<string, int>> PrefixesAsync() =>
        _prefixes ??= (await connection.QueryAsync<(int Id, string Name)>("SELECT id, name FROM vte_ws_entity")).ToDictionary(r => r.Name, r => r.Id);

    public async Task<string> WsIdAsync(string module, int id) => $"{(await PrefixesAsync())[module]}x{id}";

    /// <summary>"31x45" → (Events module name, 45); a bad id is INVALID_ID_ATTRIBUTE.</summary>
    public async Task<(string Module, int Id)> ParseIdAsync(string? wsId)
    {
        var parts = (wsId ?? "").Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var prefix) || !int.TryParse(parts[1], out var id))
            throw WebserviceException.InvalidId(wsId ?? "");
        var module = (await PrefixesAsync()).FirstOrDefault(p => p.Value == prefix).Key ?? throw WebserviceException.InvalidId(wsId!);
        return (module, id);
    }

    public async Task<ModuleDef> ModuleOfAsync(string moduleName, int id)
    {
        var module = Modules.Find(moduleName) ?? throw new WebserviceException("ACCESS_DENIED", $"Permission to perform the operation on {moduleName} is denied");
        if (!module.IsActivity) return module;
        // Tasks and events share ids; the record's activitytype decides (vtws_getCalendarEntityType).
        var type = await connection.ExecuteScalarAsync<string?>("SELECT activitytype FROM vte_activity WHERE activityid = @id", new { id });
        return type == "Task" ? Modules.Calendar : Modules.Events;
    }

    /// <param name="display">false: dates as stored (Y-m-d), for merging a revise</param>
    public async Task<Dictionary<string, object?>> RetrieveAsync(string wsId, bool display = true)
    {
        var (moduleName, id) = await ParseIdAsync(wsId);
        var module = await ModuleOfAsync(moduleName, id);
        var rows = await SelectAsync(module, null, $"{module.IdSql} = @id", new Dictionary<string, object> { ["@id"] = id }, "", 0, 1);
        if (rows.Count == 0) throw WebserviceException.NotFound();
        var record = rows[0];
        if (module.IsActivity) ConvertActivityTimes(record, db.ServerZone, user.Zone);
        // Stored timestamps (uitype 70) are shown in the user's zone too (CRMEntity::processRetrieveResult).
        foreach (var field in module.Fields.Where(f => f.Kind == FieldKind.DateTime))
            if (record.GetValueOrDefault(field.Name) is string { Length: 19 } stamp)
            {
                var (d, t) = ZoneMath.Convert(stamp[..10], stamp[11..], db.ServerZone, user.Zone);
                record[field.Name] = $"{d} {t}:{stamp[17..]}";
            }
        if (display) DisplayDates(module, record);
        return record;
    }

    /// <summary>vtenext answers "date" fields (uitype 5 and 23: due_date, birthday) in the session user's date format
    /// (DataTransform::sanitizeDateFieldsForInsert on the read path); date_start (uitype 6, "datetime") stays Y-m-d.
    /// Input is always Y-m-d.</summary>
    private void DisplayDates(ModuleDef module, Dictionary<string, object?> record)
    {
        var format = user.DateFormat.Replace("mm", "MM");
        foreach (var field in module.Fields.Where(f => f.Kind == FieldKind.Date && f.Name != "date_start"))
            if (record.GetValueOrDefault(field.Name) is string { Length: 10 } value
                && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                record[field.Name] = date.ToString(format, CultureInfo.InvariantCulture);
    }

    public async Task<List<Dictionary<string, object?>>> QueryAsync(VtqlQuery query)
    {
        var where = query.WhereSql.Length > 0 ? $"({query.WhereSql})" : "1 = 1";
        if (query.Count)
        {
            var count = await connection.ExecuteScalarAsync<long>(
                $"SELECT COUNT(*) FROM {query.Module.From} WHERE {query.Module.BaseFilter} AND {where}", new DynamicParameters(query.Parameters));
            return [new() { ["count"] = count.ToString(CultureInfo.InvariantCulture) }];
        }
        var max = db.Options.MaxRowsPerQuery;
        var limit = Math.Min(query.Limit ?? 1000, max);
        // Stored values: query does not convert time zones (vtenext's DataTransform has no zone step for query), but
        // it does format dates for the user.
        var rows = await SelectAsync(query.Module, query.Columns, where, query.Parameters, query.OrderSql, query.Offset ?? 0, limit);
        foreach (var row in rows) DisplayDates(query.Module, row);
        return rows;
    }

    private async Task<List<Dictionary<string, object?>>> SelectAsync(ModuleDef module, IReadOnlyList<FieldDef>? columns, string where,
        IReadOnlyDictionary<string, object> parameters, string order, int offset, int limit)
    {
        var fields = columns ?? module.Fields;
        var select = string.Join(", ", fields.Where(f => f.Name != "id").Select(f => $"{f.Select} AS `{f.Name}`").Prepend($"{module.IdSql} AS `__id`"));
        var sql = $"SELECT {select} FROM {module.From} WHERE {module.BaseFilter} AND {where} " +
                  $"ORDER BY {(order.Length > 0 ? order : module.IdSql)} LIMIT {offset}, {limit}";
        var rows = await connection.QueryAsync(sql, new DynamicParameters(parameters));
        var prefixes = await PrefixesAsync();
        var result = new List<Dictionary<string, object?>>();
        foreach (IDictionary<string, object?> row in rows)
        {
            var record = new Dictionary<string, object?>();
            foreach (var field in fields.Where(f => f.Name != "id"))
                record[field.Name] = Format(field, row[field.Name], prefixes);
            record["id"] = $"{prefixes[module.Name]}x{row["__id"]}";
            result.Add(record);
        }
        return result;
    }

    private static string Format(FieldDef field, object? value, Dictionary<string, int> prefixes) => value switch
    {
        null or DBNull => "",
        DateTime d when field.Kind == FieldKind.Date => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        string s when field.Kind is FieldKind.Owner or FieldKind.Reference && s.Split(':') is [var m, var id] =>
            prefixes.TryGetValue(m, out var p) ? $"{p}x{id}" : "",
        string s when field.Kind == FieldKind.Time && s.Length >= 5 => s[..5],
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Moves (date_start, time_start) and (due_date, time_end) between zones; all-day events keep their dates.</summary>
    private static void ConvertActivityTimes(Dictionary<string, object?> record, TimeZoneInfo from, TimeZoneInfo to)
    {
        if (from.Id == to.Id || record.GetValueOrDefault("is_all_day_event") is "1") return;
        foreach (var (dateField, timeField) in new[] { ("date_start", "time_start"), ("due_date", "time_end") })
        {
            if (record.GetValueOrDefault(dateField) is string { Length: > 0 } date && record.GetValueOrDefault(timeField) is string { Length: > 0 } time)
            {
                var (d, t) = ZoneMath.Convert(date, time, from, to);
                record[dateField] = d;
                record[timeField] = t;
            }
        }
    }

    public async Task<Dictionary<string, object?>> CreateAsync(string elementType, JsonElement element)
    {
        var module = Modules.Find(elementType);
        if (module is null || module == Modules.Users)
            throw new WebserviceException("ACCESS_DENIED", $"Permission to perform the operation on {elementType} is denied");
        var values = ReadElement(element, out var invitees);
        values.TryAdd("assigned_user_id", await WsIdAsync("Users", user.Id));
        if (module == Modules.Calendar) values["activitytype"] = "Task";
        if (module == Modules.Events && values.GetValueOrDefault("activitytype") is "Task" or "Emails")
            throw WebserviceException.Invalid("activitytype", values["activitytype"]!);
        if (module.IsActivity) values.TryAdd("visibility", "Standard");
        foreach (var field in module.Fields.Where(f => f.Mandatory))
            if (string.IsNullOrEmpty(values.GetValueOrDefault(field.Name))) throw WebserviceException.Mandatory(field.Name);

        await using var tx = await connection.BeginTransactionAsync();
        var id = await VtenextDatabase.NextIdAsync(connection, tx, "vte_crmentity_seq");
        var now = db.ServerNow();
        var owner = await OwnerIdAsync(values["assigned_user_id"]!);
        await connection.ExecuteAsync("""
            INSERT INTO vte_crmentity (crmid, smcreatorid, smownerid, modifiedby, setype, createdtime, modifiedtime, deleted)
            VALUES (@id, @creator, @owner, @creator, @setype, @now, @now, 0)
            """, new { id, creator = user.Id, owner, setype = module.Setype, now }, tx);
        foreach (var (table, key) in module.Tables)
            await connection.ExecuteAsync($"INSERT INTO {table} ({key}) VALUES (@id)", new { id }, tx);
        if (module == Modules.Contacts)
            await connection.ExecuteAsync("UPDATE vte_contactdetails SET contact_no = CONCAT('CON', @id) WHERE contactid = @id", new { id }, tx);
        if (module.IsActivity)
        {
            await connection.ExecuteAsync("UPDATE vte_activity SET ical_uuid = @uuid WHERE activityid = @id",
                new { id, uuid = Guid.NewGuid().ToString() }, tx);
            if (module == Modules.Events)
                await connection.ExecuteAsync("INSERT INTO vte_activity_organizer (activityid, userid, email) VALUES (@id, @userId, @email)",
                    new { id, userId = user.Id, email = user.Email }, tx);
        }
        await WriteAsync(module, id, values, values.Keys.ToHashSet(), invitees, tx);
        await tx.CommitAsync();
        return await RetrieveAsync(await WsIdAsync(module.Name, id));
    }

    public async Task<Dictionary<string, object?>> ReviseAsync(JsonElement element)
    {
        var given = ReadElement(element, out var invitees);
        var current = await RetrieveAsync(given.GetValueOrDefault("id") ?? throw WebserviceException.Mandatory("id"), display: false);
        var (moduleName, id) = await ParseIdAsync((string)current["id"]!);
        var module = Modules.Find(moduleName)!;
        if (module == Modules.Users) throw new WebserviceException("ACCESS_DENIED", "Permission to perform the operation on Users is denied");
        var merged = current.ToDictionary(kv => kv.Key, kv => kv.Value as string);
        foreach (var (k, v) in given) merged[k] = v;
        foreach (var field in module.Fields.Where(f => f.Mandatory))
            if (string.IsNullOrEmpty(merged.GetValueOrDefault(field.Name))) throw WebserviceException.Mandatory(field.Name);

        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("UPDATE vte_crmentity SET modifiedtime = @now, modifiedby = @userId WHERE crmid = @id",
            new { id, now = db.ServerNow(), userId = user.Id }, tx);
        await WriteAsync(module, id, merged, given.Keys.ToHashSet(), invitees, tx);
        await tx.CommitAsync();
        return await RetrieveAsync((string)current["id"]!);
    }

    public async Task DeleteAsync(string wsId)
    {
        var (moduleName, id) = await ParseIdAsync(wsId);
        var module = Modules.Find(moduleName);
        if (module is null || module == Modules.Users)
            throw new WebserviceException("ACCESS_DENIED", $"Permission to perform the operation on {moduleName} is denied");
        // Like vtenext's mark_deleted: the row stays, flagged, with a new modifiedtime. No event fires.
        var changed = await connection.ExecuteAsync(
            "UPDATE vte_crmentity SET deleted = 1, modifiedtime = @now, modifiedby = @userId WHERE crmid = @id AND setype = @setype AND deleted = 0",
            new { id, now = db.ServerNow(), userId = user.Id, setype = module.Setype });
        if (changed == 0) throw WebserviceException.NotFound();
    }

    /// <param name="values">the full set of values in the session user's zone</param>
    /// <param name="given">the fields the caller sent; relations and reminders are only touched when sent</param>
    private async Task WriteAsync(ModuleDef module, int id, Dictionary<string, string?> values, HashSet<string> given,
        List<(string Email, int Partecipation)>? invitees, MySqlTransaction tx)
    {
        if (module.IsActivity) NormalizeActivity(values);
        foreach (var group in module.Fields.Where(f => f.Table is not null && f.Editable && values.ContainsKey(f.Name)).GroupBy(f => f.Table!))
        {
            var parameters = new DynamicParameters(new { id });
            var sets = new List<string>();
            foreach (var field in group)
            {
                sets.Add($"{field.Column} = @{field.Name}");
                parameters.Add(field.Name, await StoredValueAsync(field, values[field.Name]));
            }
            var key = group.Key == "vte_crmentity" ? "crmid" : module.Tables.First(t => t.Table == group.Key).Key;
            await connection.ExecuteAsync($"UPDATE {group.Key} SET {string.Join(", ", sets)} WHERE {key} = @id", parameters, tx);
        }
        if (given.Contains("assigned_user_id"))
            await connection.ExecuteAsync("UPDATE vte_crmentity SET smownerid = @owner WHERE crmid = @id",
                new { id, owner = await OwnerIdAsync(values["assigned_user_id"]!) }, tx);
        if (!module.IsActivity) return;

        var start = StartEnd(values, "date_start", "time_start");
        var end = StartEnd(values, "due_date", "time_end");
        var minutes = start is { } s && end is { } e && e > s ? (int)(e - s).TotalMinutes : 0;
        await connection.ExecuteAsync("""
            UPDATE vte_activity SET activity_start = @start, activity_end = @end, duration_hours = @hours, duration_minutes = @mins
            WHERE activityid = @id
            """, new { id, start, end, hours = (minutes / 60).ToString(CultureInfo.InvariantCulture), mins = (minutes % 60).ToString("00", CultureInfo.InvariantCulture) }, tx);

        if (given.Contains("parent_id")) await RelateAsync("vte_seactivityrel", "crmid", id, values["parent_id"], tx);
        if (given.Contains("contact_id")) await RelateAsync("vte_cntactivityrel", "contactid", id, values["contact_id"], tx);
        if (given.Contains("reminder_time"))
        {
            await connection.ExecuteAsync("DELETE FROM vte_activity_reminder WHERE activity_id = @id AND recurringid = 0", new { id }, tx);
            if (int.TryParse(values["reminder_time"], out var reminder) && reminder > 0)
                // Events take the reminder in seconds on input (DataTransform) and store minutes.
                await connection.ExecuteAsync("INSERT INTO vte_activity_reminder (activity_id, reminder_time, reminder_sent, recurringid) VALUES (@id, @m, 0, 0)",
                    new { id, m = module == Modules.Events ? reminder / 60 : reminder }, tx);
        }
        if (invitees is not null && module == Modules.Events)
        {
            await connection.ExecuteAsync("DELETE FROM vte_invitees WHERE activityid = @id; DELETE FROM vte_invitees_con WHERE activityid = @id", new { id }, tx);
            foreach (var (email, partecipation) in invitees)
            {
                // Addresses are resolved to CRM users first, then contacts; unknown addresses are dropped, as in vtenext.
                var userId = await connection.ExecuteScalarAsync<int?>("SELECT id FROM vte_users WHERE email1 = @email AND deleted = 0 LIMIT 1", new { email }, tx);
                if (userId is { } u)
                {
                    await connection.ExecuteAsync("INSERT INTO vte_invitees (activityid, inviteeid, partecipation) VALUES (@id, @u, @partecipation) ON DUPLICATE KEY UPDATE partecipation = VALUES(partecipation)", new { id, u, partecipation }, tx);
                    continue;
                }
                var contactId = await connection.ExecuteScalarAsync<int?>("""
                    SELECT c.contactid FROM vte_contactdetails c JOIN vte_crmentity e ON e.crmid = c.contactid
                    WHERE c.email = @email AND e.deleted = 0 LIMIT 1
                    """, new { email }, tx);
                if (contactId is { } c)
                    await connection.ExecuteAsync("INSERT INTO vte_invitees_con (activityid, inviteeid, partecipation) VALUES (@id, @c, @partecipation) ON DUPLICATE KEY UPDATE partecipation = VALUES(partecipation)", new { id, c, partecipation }, tx);
            }
        }
    }

    /// <summary>Validates dates and times and moves them from the user's zone to the server's.</summary>
    private void NormalizeActivity(Dictionary<string, string?> values)
    {
        foreach (var f in new[] { "date_start", "due_date" })
            if (values.GetValueOrDefault(f) is { Length: > 0 } d && !DateOnly.TryParseExact(d, "yyyy-MM-dd", out _))
                throw WebserviceException.Invalid(f, d);
        foreach (var f in new[] { "time_start", "time_end" })
            if (values.GetValueOrDefault(f) is { Length: > 0 } t)
            {
                try { values[f] = ZoneMath.NormalizeTime(t)[..5]; }
                catch (FormatException) { throw WebserviceException.Invalid(f, t); }
            }
        var copy = values.ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
        ConvertActivityTimes(copy, user.Zone, db.ServerZone);
        foreach (var (k, v) in copy) values[k] = v as string;
    }

    private static DateTime? StartEnd(Dictionary<string, string?> values, string dateField, string timeField) =>
        values.GetValueOrDefault(dateField) is { Length: > 0 } d
            ? DateTime.ParseExact($"{d} {(values.GetValueOrDefault(timeField) is { Length: > 0 } t ? t : "00:00")}", "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            : null;

    private async Task RelateAsync(string table, string column, int activityId, string? target, MySqlTransaction tx)
    {
        await connection.ExecuteAsync($"DELETE FROM {table} WHERE activityid = @activityId", new { activityId }, tx);
        if (string.IsNullOrEmpty(target)) return;
        var (_, targetId) = await ParseIdAsync(target);
        await connection.ExecuteAsync($"INSERT INTO {table} ({column}, activityid) VALUES (@targetId, @activityId)", new { targetId, activityId }, tx);
    }

    private async Task<int> OwnerIdAsync(string wsId)
    {
        var (module, id) = await ParseIdAsync(wsId);
        if (module is not ("Users" or "Groups")) throw WebserviceException.Invalid("assigned_user_id", wsId);
        return id;
    }

    private async Task<object?> StoredValueAsync(FieldDef field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return field.Kind is FieldKind.Boolean ? 0 : field.Mandatory ? "" : null;
        switch (field.Kind)
        {
            case FieldKind.Date:
                return DateOnly.TryParseExact(value, "yyyy-MM-dd", out var date) ? date.ToDateTime(TimeOnly.MinValue) : throw WebserviceException.Invalid(field.Name, value);
            case FieldKind.Boolean:
                return value is "1" or "true" or "on" ? 1 : value is "0" or "false" or "off" ? 0 : throw WebserviceException.Invalid(field.Name, value);
            case FieldKind.Integer:
                return int.TryParse(value, out var n) ? n : throw WebserviceException.Invalid(field.Name, value);
            case FieldKind.Reference:
                return (await ParseIdAsync(value)).Id;
            default:
                return value;
        }
    }

    private static Dictionary<string, string?> ReadElement(JsonElement element, out List<(string, int)>? invitees)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new WebserviceException("INVALID_PARAMETER", "element must be a JSON object");
        invitees = null;
        var values = new Dictionary<string, string?>();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == "invitees" && property.Value.ValueKind == JsonValueKind.Array)
            {
                invitees = property.Value.EnumerateArray()
                    .Select(i => (i.GetProperty("email").GetString() ?? "",
                        i.TryGetProperty("partecipation", out var p) ? (p.ValueKind == JsonValueKind.Number ? p.GetInt32() : int.Parse(p.GetString() ?? "0", CultureInfo.InvariantCulture)) : 0))
                    .ToList();
                continue;
            }
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Null => null,
                JsonValueKind.True => "1",
                JsonValueKind.False => "0",
                _ => property.Value.GetRawText(),
            };
        }
        return values;
    }
}
