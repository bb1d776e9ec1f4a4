using System.Globalization;
using System.Text.RegularExpressions;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Jql;

/// <summary>Checks a parsed query's fields and values against the simulated site and turns it into a filter and an order.</summary>
internal static partial class JqlCompiler
{
    private static readonly JqlOperator[] SetOperators = [JqlOperator.Equals, JqlOperator.NotEquals, JqlOperator.In, JqlOperator.NotIn];

    private static readonly JqlOperator[] RangeOperators =
        [JqlOperator.Equals, JqlOperator.NotEquals, JqlOperator.Less, JqlOperator.LessOrEqual, JqlOperator.Greater, JqlOperator.GreaterOrEqual];

    public static CompiledJql Compile(JqlQuery query, IssueStore store, TimeProvider? time = null)
    {
        var filter = query.Where is null ? (_ => true) : CompileExpression(query.Where, store, time ?? TimeProvider.System);
        return new CompiledJql(filter, CompileOrder(query.OrderBy));
    }

    private static Func<SeedIssue, bool> CompileExpression(JqlExpression expression, IssueStore store, TimeProvider time)
    {
        switch (expression)
        {
            case JqlAnd and:
                {
                    var left = CompileExpression(and.Left, store, time);
                    var right = CompileExpression(and.Right, store, time);
                    return issue => left(issue) && right(issue);
                }

            case JqlOr or:
                {
                    var left = CompileExpression(or.Left, store, time);
                    var right = CompileExpression(or.Right, store, time);
                    return issue => left(issue) || right(issue);
                }

            case JqlNot not:
                {
                    var operand = CompileExpression(not.Operand, store, time);
                    return issue => !operand(issue);
                }

            case JqlClause clause:
                return CompileClause(clause, store, time);
            default:
                throw new InvalidOperationException($"Unknown JQL node {expression.GetType().Name}.");
        }
    }

    private static Func<SeedIssue, bool> CompileClause(JqlClause clause, IssueStore store, TimeProvider time) =>
        clause.Field.ToLowerInvariant() switch
        {
            "project" => SetClause(clause, ResolveProject, i => i.Project),
            "status" => SetClause(clause, v => Find(JiraCatalog.Statuses, v, s => s.Id, s => s.Name), i => i.Status),
            "priority" => SetClause(clause, v => Find(JiraCatalog.Priorities, v, p => p.Id, p => p.Name), i => i.Priority),
            "issuetype" or "type" => SetClause(clause, v => Find(JiraCatalog.IssueTypes, v, t => t.Id, t => t.Name), i => i.IssueType),
            "key" or "issuekey" or "id" => KeyClause(clause, store),
            "created" or "createddate" => DateClause(clause, i => i.Created, time),
            "updated" or "updateddate" => DateClause(clause, i => i.Updated, time),
            "resolved" or "resolutiondate" => DateClause(clause, i => i.Resolved, time),
            "summary" => TextClause(clause),
            "sprint" => SprintClause(clause),
            _ => throw UnknownField(clause.Field),
        };

    private static Func<SeedIssue, bool> SetClause<T>(JqlClause clause, Func<string, T?> resolve, Func<SeedIssue, T> select)
        where T : class
    {
        RequireOperator(clause, SetOperators);
        var values = clause.Values
            .Select(v => resolve(v) ?? throw new JqlException($"The value '{v}' does not exist for the field '{clause.Field}'."))
            .ToHashSet();
        var negate = clause.Operator is JqlOperator.NotEquals or JqlOperator.NotIn;
        return issue => values.Contains(select(issue)) != negate;
    }

    private static Func<SeedIssue, bool> KeyClause(JqlClause clause, IssueStore store)
    {
        RequireOperator(clause, SetOperators);
        var issues = new HashSet<SeedIssue>();
        foreach (var value in clause.Values)
        {
            if (!KeyPattern().IsMatch(value))
            {
                throw new JqlException($"The issue key '{value}' for field '{clause.Field}' is invalid.");
            }

            issues.Add(store.FindByKeyOrId(value)
                       ?? throw new JqlException($"An issue with key '{value}' does not exist for field '{clause.Field}'."));
        }

        var negate = clause.Operator is JqlOperator.NotEquals or JqlOperator.NotIn;
        return issue => issues.Contains(issue) != negate;
    }

    /// <summary>A date comparison; an issue without the date (not resolved) matches none, as in Jira.</summary>
    private static Func<SeedIssue, bool> DateClause(JqlClause clause, Func<SeedIssue, DateTimeOffset?> select, TimeProvider time)
    {
        RequireOperator(clause, RangeOperators);
        var value = JqlDates.Parse(clause.Field, clause.Values[0], time);
        Func<DateTimeOffset, bool> matches = clause.Operator switch
        {
            JqlOperator.Equals => date => date == value,
            JqlOperator.NotEquals => date => date != value,
            JqlOperator.Less => date => date < value,
            JqlOperator.LessOrEqual => date => date <= value,
            JqlOperator.Greater => date => date > value,
            _ => date => date >= value,
        };
        return issue => select(issue) is { } date && matches(date);
    }

    /// <summary>Jira's <c>~</c> is a word search; a case-insensitive substring is close enough for tests.</summary>
    /// <summary>Jira's <c>sprint</c>: an issue matches a sprint (by id or name) it is or was in.</summary>
    private static Func<SeedIssue, bool> SprintClause(JqlClause clause)
    {
        RequireOperator(clause, SetOperators);
        var values = clause.Values.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var negate = clause.Operator is JqlOperator.NotEquals or JqlOperator.NotIn;
        return issue => issue.Sprints.Any(s => values.Contains(s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) || values.Contains(s.Name)) != negate;
    }

    private static Func<SeedIssue, bool> TextClause(JqlClause clause)
    {
        RequireOperator(clause, [JqlOperator.Like, JqlOperator.NotLike]);
        var text = clause.Values[0];
        var negate = clause.Operator == JqlOperator.NotLike;
        return issue => issue.Summary.Contains(text, StringComparison.OrdinalIgnoreCase) != negate;
    }

    private static IComparer<SeedIssue> CompileOrder(IReadOnlyList<JqlOrderField> orderBy)
    {
        var comparers = orderBy.Select(f => Directed(OrderFieldComparer(f.Field), f.Descending)).ToList();

        // Key last, so pages never shuffle between requests when the requested fields tie.
        comparers.Add(IssueKeyComparer.Instance);
        return Comparer<SeedIssue>.Create((x, y) =>
        {
            foreach (var comparer in comparers)
            {
                var result = comparer.Compare(x, y);
                if (result != 0)
                {
                    return result;
                }
            }

            return 0;
        });
    }

    private static IComparer<SeedIssue> OrderFieldComparer(string field) => field.ToLowerInvariant() switch
    {
        "key" or "issuekey" => IssueKeyComparer.Instance,
        "id" => By(i => int.Parse(i.Id, CultureInfo.InvariantCulture)),
        "created" or "createddate" => By(i => i.Created),
        "updated" or "updateddate" => By(i => i.Updated),
        "resolved" or "resolutiondate" => By(i => i.Resolved),
        "project" => By(i => i.Project.Name, StringComparer.OrdinalIgnoreCase),
        "status" => By(i => IndexOf(JiraCatalog.Statuses, i.Status)),

        // Jira's "priority DESC" lists Highest first; the catalog lists Highest first, so rank backwards.
        "priority" => By(i => -IndexOf(JiraCatalog.Priorities, i.Priority)),
        "issuetype" or "type" => By(i => i.IssueType.Name, StringComparer.OrdinalIgnoreCase),
        "summary" => By(i => i.Summary, StringComparer.OrdinalIgnoreCase),
        _ => throw UnknownField(field),
    };

    private static IComparer<SeedIssue> Directed(IComparer<SeedIssue> comparer, bool descending) =>
        descending ? Comparer<SeedIssue>.Create((x, y) => comparer.Compare(y, x)) : comparer;

    private static IComparer<SeedIssue> By<TKey>(Func<SeedIssue, TKey> key, IComparer<TKey>? keyComparer = null)
    {
        var inner = keyComparer ?? Comparer<TKey>.Default;
        return Comparer<SeedIssue>.Create((x, y) => inner.Compare(key(x), key(y)));
    }

    private static int IndexOf<T>(IReadOnlyList<T> items, T item)
        where T : class
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (ReferenceEquals(items[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    private static SeedProject? ResolveProject(string value) =>
        Find(JiraCatalog.Projects, value, p => p.Id, p => p.Key) ?? JiraCatalog.Projects.FirstOrDefault(
            p => string.Equals(p.Name, value, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds a catalog entry by id or by name, case-insensitively, as Jira accepts both in JQL.</summary>
    private static T? Find<T>(IReadOnlyList<T> items, string value, Func<T, string> id, Func<T, string> name)
        where T : class =>
        items.FirstOrDefault(item => id(item) == value || string.Equals(name(item), value, StringComparison.OrdinalIgnoreCase));

    private static void RequireOperator(JqlClause clause, JqlOperator[] supported)
    {
        if (!supported.Contains(clause.Operator))
        {
            throw new JqlException($"The operator '{clause.Operator.ToJql()}' is not supported by the '{clause.Field}' field.");
        }
    }

    private static JqlException UnknownField(string field) =>
        new($"Field '{field}' does not exist or you do not have permission to view it.");

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9_]*-\d+|\d+)$")]
    private static partial Regex KeyPattern();
}
