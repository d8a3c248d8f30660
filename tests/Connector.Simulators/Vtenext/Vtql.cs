using System.Text;
using System.Text.RegularExpressions;

namespace Connector.Simulators.Vtenext;

/// <summary>A parsed VTQL statement: <c>SELECT * | count(*) | f1, f2 FROM Module [WHERE f op v (AND|OR) …]
/// [ORDER BY f, … [ASC|DESC]] [LIMIT [offset,] count];</c> (the grammar of vtenext's VTQL_Parser).</summary>
public sealed record VtqlQuery(ModuleDef Module, IReadOnlyList<FieldDef>? Columns, bool Count, string WhereSql,
    IReadOnlyDictionary<string, object> Parameters, string OrderSql, int? Offset, int? Limit);

public static partial class Vtql
{
    private static readonly string[] Operators = ["<=", ">=", "!=", "<>", "=", "<", ">"];

    public static VtqlQuery Parse(string text, Func<string, int?> prefixToIdComponent)
    {
        var tokens = Tokenize(text);
        var at = 0;
        string Peek() => at < tokens.Count ? tokens[at] : "";
        string Next() => at < tokens.Count ? tokens[at++] : throw Vtql.Error("unexpected end of query");
        bool Accept(string keyword)
        {
            if (!Peek().Equals(keyword, StringComparison.OrdinalIgnoreCase)) return false;
            at++;
            return true;
        }
        void Expect(string keyword)
        {
            if (!Accept(keyword)) throw Error($"expected {keyword} near '{Peek()}'");
        }

        Expect("SELECT");
        var columnNames = new List<string>();
        var count = false;
        if (Accept("*")) { }
        else if (Peek().Equals("count", StringComparison.OrdinalIgnoreCase))
        {
            Next(); Expect("("); Expect("*"); Expect(")");
            count = true;
        }
        else
        {
            do columnNames.Add(Next()); while (Accept(","));
        }
        Expect("FROM");
        var moduleName = Next();
        var module = Modules.Find(moduleName) ?? throw new WebserviceException("INVALID_MODULE", $"Permission to read given object ({moduleName}) is denied");

        FieldDef Field(string name) => name == "id"
            ? new FieldDef("id", "Id", FieldKind.Reference, module.IdSql)
            : module.Field(name) ?? throw Error($"Unknown column '{name}' for {module.Name}");

        var parameters = new Dictionary<string, object>();
        var where = new StringBuilder();
        if (Accept("WHERE"))
        {
            do
            {
                if (where.Length > 0) where.Append(tokens[at - 1].ToUpperInvariant() == "OR" ? " OR " : " AND ");
                var field = Field(Next());
                var op = Next().ToUpperInvariant();
                object Value(string token)
                {
                    var value = Unquote(token);
                    // References are compared by their crmid: "31x45" -> 45.
                    if (field.Kind is FieldKind.Reference or FieldKind.Owner && value.Contains('x'))
                        return prefixToIdComponent(value) ?? throw Error($"invalid id '{value}'");
                    return value;
                }
                string Param(object value)
                {
                    var name = "@p" + parameters.Count;
                    parameters[name] = value;
                    return name;
                }
                if (op == "IN")
                {
                    Expect("(");
                    var names = new List<string>();
                    do names.Add(Param(Value(Next()))); while (Accept(","));
                    Expect(")");
                    where.Append($"{field.FilterSql} IN ({string.Join(", ", names)})");
                }
                else if (op == "LIKE" || Operators.Contains(op))
                    where.Append($"{field.FilterSql} {(op == "!=" ? "<>" : op)} {Param(Value(Next()))}");
                else throw Error($"unknown operator '{op}'");
            } while (Accept("AND") || Accept("OR"));
        }

        var order = "";
        if (Accept("ORDER"))
        {
            Expect("BY");
            var fields = new List<string>();
            do fields.Add(Field(Next()).FilterSql); while (Accept(","));
            var direction = Accept("DESC") ? " DESC" : Accept("ASC") ? " ASC" : "";
            order = string.Join(", ", fields) + direction;
        }

        int? offset = null, limit = null;
        if (Accept("LIMIT"))
        {
            var first = ParseInt(Next());
            if (Accept(",")) { offset = first; limit = ParseInt(Next()); }
            else limit = first;
        }
        if (!Accept(";")) throw Error("a VTQL statement must end with ';'");
        if (at != tokens.Count) throw Error($"unexpected '{Peek()}' after ';'");

        var columns = columnNames.Count == 0 ? null : columnNames.Select(Field).ToList();
        return new VtqlQuery(module, columns, count, where.ToString(), parameters, order, offset, limit);
    }

    private static int ParseInt(string token) =>
        int.TryParse(token, out var n) && n >= 0 ? n : throw Error($"'{token}' is not a row count");

    private static string Unquote(string token) =>
        token.Length >= 2 && (token[0] == '\'' || token[0] == '"') ? token[1..^1].Replace("\\'", "'").Replace("\\\"", "\"") : token;

    private static WebserviceException Error(string detail) => WebserviceException.Syntax($"Syntax Error on line 1: {detail}");

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        foreach (Match m in TokenPattern().Matches(text))
        {
            if (m.Groups["bad"].Success) throw Error($"unexpected character '{m.Value}'");
            if (!string.IsNullOrWhiteSpace(m.Value)) tokens.Add(m.Value);
        }
        return tokens;
    }

    [GeneratedRegex("""'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|<=|>=|!=|<>|[=<>(),;*]|[A-Za-z0-9_.:\-]+|\s+|(?<bad>.)""")]
    private static partial Regex TokenPattern();
}
