namespace Connector.Simulators.Vtenext;

public enum FieldKind { Text, Picklist, Date, Time, DateTime, Integer, Boolean, Email, Phone, Owner, Reference }

/// <param name="Select">SQL giving the stored value; for owners and references <c>'Module:id'</c></param>
/// <param name="Filter">SQL compared in a VTQL WHERE (raw ids for references)</param>
/// <param name="Table">where a plain write goes; null for fields written by code (relations, reminder) or read-only</param>
public sealed record FieldDef(string Name, string Label, FieldKind Kind, string Select, string? Table = null, string? Column = null,
    bool Mandatory = false, string? Filter = null, bool Editable = true, string[]? RefersTo = null)
{
    public string FilterSql => Filter ?? Select;
}

/// <param name="Tables">the module's tables and key columns, in insert order (vte_crmentity is written separately)</param>
public sealed record ModuleDef(string Name, string Label, string Setype, string From, string BaseFilter, string IdSql,
    (string Table, string Key)[] Tables, FieldDef[] Fields)
{
    public FieldDef? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);
    public bool IsActivity => Setype == "Calendar";
}

/// <summary>The modules the simulator serves, with vtenext's web service field names and where each is stored.</summary>
public static class Modules
{
    private const string Owner = "CONCAT(IF(EXISTS(SELECT 1 FROM vte_groups g WHERE g.groupid = e.smownerid), 'Groups', 'Users'), ':', e.smownerid)";

    private static FieldDef[] Common(string descriptionTable) =>
    [
        new("assigned_user_id", "Assigned To", FieldKind.Owner, Owner, Mandatory: true, Filter: "e.smownerid", RefersTo: ["Users", "Groups"]),
        new("description", "Description", FieldKind.Text, descriptionTable == "vte_crmentity" ? "e.description" : "a.description", descriptionTable, "description"),
        new("createdtime", "Created Time", FieldKind.DateTime, "e.createdtime", Editable: false),
        new("modifiedtime", "Modified Time", FieldKind.DateTime, "e.modifiedtime", Editable: false),
        new("modifiedby", "Last Modified By", FieldKind.Owner, "CONCAT('Users:', e.modifiedby)", Filter: "e.modifiedby", Editable: false, RefersTo: ["Users"]),
    ];

    private static FieldDef[] ActivityFields(bool events) =>
    [
        new("subject", "Subject", FieldKind.Text, "a.subject", "vte_activity", "subject", Mandatory: true),
        new("activitytype", "Activity Type", FieldKind.Picklist, "a.activitytype", "vte_activity", "activitytype", Mandatory: events),
        new("date_start", "Start Date & Time", FieldKind.Date, "a.date_start", "vte_activity", "date_start", Mandatory: true),
        new("time_start", "Time Start", FieldKind.Time, "a.time_start", "vte_activity", "time_start", Mandatory: events),
        new("due_date", events ? "End Date" : "Due Date", FieldKind.Date, "a.due_date", "vte_activity", "due_date", Mandatory: events),
        new("time_end", "End Time", FieldKind.Time, "a.time_end", "vte_activity", "time_end", Mandatory: events),
        new("is_all_day_event", "All day", FieldKind.Boolean, "a.is_all_day_event", "vte_activity", "is_all_day_event"),
        new("eventstatus", "Status", FieldKind.Picklist, "a.eventstatus", "vte_activity", "eventstatus", Mandatory: events),
        new("taskstatus", "Status", FieldKind.Picklist, "a.status", "vte_activity", "status", Mandatory: !events),
        new("taskpriority", "Priority", FieldKind.Picklist, "a.priority", "vte_activity", "priority"),
        new("location", "Location", FieldKind.Text, "a.location", "vte_activity", "location"),
        new("visibility", "Visibility", FieldKind.Picklist, "a.visibility", "vte_activity", "visibility"),
        new("duration_hours", "Duration", FieldKind.Integer, "a.duration_hours", Editable: false),
        new("duration_minutes", "Duration Minutes", FieldKind.Picklist, "a.duration_minutes", Editable: false),
        new("recurringtype", "Recurrence", FieldKind.Picklist, "a.recurringtype", "vte_activity", "recurringtype"),
        new("ical_uuid", "iCal UUID", FieldKind.Text, "a.ical_uuid", Editable: false),
        new("recurr_idx", "Recurrence index", FieldKind.Integer, "a.recurr_idx", Editable: false),
        new("reminder_time", "Send Reminder", FieldKind.Integer,
            "(SELECT r.reminder_time FROM vte_activity_reminder r WHERE r.activity_id = e.crmid AND r.recurringid = 0)"),
        new("parent_id", "Related To", FieldKind.Reference,
            "(SELECT CONCAT(p.setype, ':', p.crmid) FROM vte_seactivityrel r JOIN vte_crmentity p ON p.crmid = r.crmid WHERE r.activityid = e.crmid LIMIT 1)",
            Filter: "(SELECT r.crmid FROM vte_seactivityrel r WHERE r.activityid = e.crmid LIMIT 1)", RefersTo: ["Accounts", "Contacts"]),
        new("contact_id", "Contact Name", FieldKind.Reference,
            "(SELECT CONCAT('Contacts:', r.contactid) FROM vte_cntactivityrel r WHERE r.activityid = e.crmid LIMIT 1)",
            Filter: "(SELECT r.contactid FROM vte_cntactivityrel r WHERE r.activityid = e.crmid LIMIT 1)", RefersTo: ["Contacts"]),
        .. (events ? [new FieldDef("organizer", "Organizer", FieldKind.Email, "o.email", Editable: false)] : Array.Empty<FieldDef>()),
        .. Common("vte_activity"),
    ];

    private const string ActivityFrom =
        "vte_crmentity e JOIN vte_activity a ON a.activityid = e.crmid LEFT JOIN vte_activity_organizer o ON o.activityid = e.crmid";

    private static readonly (string, string)[] ActivityTables =
        [("vte_activity", "activityid"), ("vte_activitycf", "activityid")];

    public static readonly ModuleDef Events = new("Events", "Events", "Calendar", ActivityFrom,
        "e.deleted = 0 AND e.setype = 'Calendar' AND a.activitytype NOT IN ('Task', 'Emails')", "e.crmid", ActivityTables, ActivityFields(true));

    public static readonly ModuleDef Calendar = new("Calendar", "Calendar", "Calendar", ActivityFrom,
        "e.deleted = 0 AND e.setype = 'Calendar' AND a.activitytype = 'Task'", "e.crmid", ActivityTables, ActivityFields(false));

    public static readonly ModuleDef Contacts = new("Contacts", "Contacts", "Contacts",
        "vte_crmentity e JOIN vte_contactdetails c ON c.contactid = e.crmid " +
        "LEFT JOIN vte_contactaddress ca ON ca.contactaddressid = e.crmid LEFT JOIN vte_contactsubdetails cs ON cs.contactsubscriptionid = e.crmid",
        "e.deleted = 0 AND e.setype = 'Contacts'", "e.crmid",
        [("vte_contactdetails", "contactid"), ("vte_contactaddress", "contactaddressid"), ("vte_contactsubdetails", "contactsubscriptionid"), ("vte_contactscf", "contactid")],
        [
            new("contact_no", "Contact Id", FieldKind.Text, "c.contact_no", Editable: false),
            new("salutationtype", "Salutation", FieldKind.Picklist, "c.salutation", "vte_contactdetails", "salutation"),
            new("firstname", "First Name", FieldKind.Text, "c.firstname", "vte_contactdetails", "firstname"),
            new("lastname", "Last Name", FieldKind.Text, "c.lastname", "vte_contactdetails", "lastname", Mandatory: true),
            new("email", "Email", FieldKind.Email, "c.email", "vte_contactdetails", "email"),
            new("otheremail", "Other Email", FieldKind.Email, "c.otheremail", "vte_contactdetails", "otheremail"),
            new("phone", "Office Phone", FieldKind.Phone, "c.phone", "vte_contactdetails", "phone"),
            new("mobile", "Mobile", FieldKind.Phone, "c.mobile", "vte_contactdetails", "mobile"),
            new("fax", "Fax", FieldKind.Phone, "c.fax", "vte_contactdetails", "fax"),
            new("title", "Title", FieldKind.Text, "c.title", "vte_contactdetails", "title"),
            new("department", "Department", FieldKind.Text, "c.department", "vte_contactdetails", "department"),
            new("account_id", "Account Name", FieldKind.Reference, "IF(c.accountid IS NULL OR c.accountid = 0, NULL, CONCAT('Accounts:', c.accountid))",
                "vte_contactdetails", "accountid", Filter: "c.accountid", RefersTo: ["Accounts"]),
            new("homephone", "Home Phone", FieldKind.Phone, "cs.homephone", "vte_contactsubdetails", "homephone"),
            new("otherphone", "Other Phone", FieldKind.Phone, "cs.otherphone", "vte_contactsubdetails", "otherphone"),
            new("assistant", "Assistant", FieldKind.Text, "cs.assistant", "vte_contactsubdetails", "assistant"),
            new("assistantphone", "Assistant Phone", FieldKind.Phone, "cs.assistantphone", "vte_contactsubdetails", "assistantphone"),
            new("birthday", "Birthdate", FieldKind.Date, "cs.birthday", "vte_contactsubdetails", "birthday"),
            new("mailingstreet", "Mailing Street", FieldKind.Text, "ca.mailingstreet", "vte_contactaddress", "mailingstreet"),
            new("mailingcity", "Mailing City", FieldKind.Text, "ca.mailingcity", "vte_contactaddress", "mailingcity"),
            new("mailingstate", "Mailing State", FieldKind.Text, "ca.mailingstate", "vte_contactaddress", "mailingstate"),
            new("mailingzip", "Mailing Zip", FieldKind.Text, "ca.mailingzip", "vte_contactaddress", "mailingzip"),
            new("mailingcountry", "Mailing Country", FieldKind.Text, "ca.mailingcountry", "vte_contactaddress", "mailingcountry"),
            new("mailingpobox", "Mailing Po Box", FieldKind.Text, "ca.mailingpobox", "vte_contactaddress", "mailingpobox"),
            new("otherstreet", "Other Street", FieldKind.Text, "ca.otherstreet", "vte_contactaddress", "otherstreet"),
            new("othercity", "Other City", FieldKind.Text, "ca.othercity", "vte_contactaddress", "othercity"),
            new("otherstate", "Other State", FieldKind.Text, "ca.otherstate", "vte_contactaddress", "otherstate"),
            new("otherzip", "Other Zip", FieldKind.Text, "ca.otherzip", "vte_contactaddress", "otherzip"),
            new("othercountry", "Other Country", FieldKind.Text, "ca.othercountry", "vte_contactaddress", "othercountry"),
            new("otherpobox", "Other Po Box", FieldKind.Text, "ca.otherpobox", "vte_contactaddress", "otherpobox"),
            .. Common("vte_crmentity"),
        ]);

    public static readonly ModuleDef Accounts = new("Accounts", "Accounts", "Accounts",
        "vte_crmentity e JOIN vte_account ac ON ac.accountid = e.crmid", "e.deleted = 0 AND e.setype = 'Accounts'", "e.crmid",
        [("vte_account", "accountid")],
        [
            new("accountname", "Account Name", FieldKind.Text, "ac.accountname", "vte_account", "accountname", Mandatory: true),
            new("email1", "Email", FieldKind.Email, "ac.email1", "vte_account", "email1"),
            new("phone", "Phone", FieldKind.Phone, "ac.phone", "vte_account", "phone"),
            .. Common("vte_crmentity"),
        ]);

    public static readonly ModuleDef Users = new("Users", "Users", "Users", "vte_users u", "u.deleted = 0", "u.id", [],
        [
            new("user_name", "User Name", FieldKind.Text, "u.user_name", Mandatory: true, Editable: false),
            new("first_name", "First Name", FieldKind.Text, "u.first_name", Editable: false),
            new("last_name", "Last Name", FieldKind.Text, "u.last_name", Editable: false),
            new("email1", "Email", FieldKind.Email, "u.email1", Editable: false),
            new("is_admin", "Admin", FieldKind.Boolean, "u.is_admin", Editable: false),
            new("status", "Status", FieldKind.Picklist, "u.status", Editable: false),
            new("user_timezone", "Time Zone", FieldKind.Picklist, "u.user_timezone", Editable: false),
            new("date_format", "Date Format", FieldKind.Picklist, "u.date_format", Editable: false),
        ]);

    public static readonly ModuleDef[] All = [Events, Calendar, Contacts, Accounts, Users];

    public static ModuleDef? Find(string? name) => All.FirstOrDefault(m => m.Name == name);
}
