using System.Linq.Expressions;
using JiraExport.Api.Contracts;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>v2's list envelope (<see cref="ListPage{T}"/>): one limit rule, one cursor walk, links to the next page and each item.</summary>
internal static class ListPages
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>The address of an item under v2, for <see cref="ListLinks.Items"/>.</summary>
    public static string V2(FormattableString path) => "/api/v2" + FormattableString.Invariant(path);

    /// <summary>Checks v2's <c>limit</c> and <c>cursor</c>; problems go into <paramref name="errors"/>.</summary>
    public static (int Limit, PageCursor? After) Read(int? limit, string? cursor, Dictionary<string, string[]> errors) =>
        PageCursor.ReadPage(limit, cursor, DefaultLimit, MaxLimit, errors);

    /// <summary>
    /// The envelope of one page: <paramref name="next"/> is the cursor of the page after it, null on the last, passed as
    /// <paramref name="cursorParameter"/> in the next page's link.
    /// </summary>
    public static ListPage<T> Create<T>(
        HttpRequest request, IReadOnlyList<T> items, string? next, Func<T, string?> addressOf, string cursorParameter = "cursor")
    {
        string? nextLink = null;
        if (next is not null)
        {
            var query = QueryHelpers.ParseQuery(request.QueryString.Value);
            query[cursorParameter] = next;
            nextLink = request.PathBase + request.Path + new QueryBuilder(query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))));
        }

        return new ListPage<T>(items, next, new ListLinks(request.PathBase + request.Path + request.QueryString, nextLink, [.. items.Select(addressOf)]));
    }

    /// <summary>
    /// One page of <paramref name="query"/>, newest first by (<paramref name="at"/>, <paramref name="id"/>), after the
    /// cursor's row: a keyset walk, so a page costs the same however deep it is and rows added meanwhile are not repeated.
    /// </summary>
    public static async Task<(List<T> Rows, string? Next)> NewestFirstAsync<T>(
        this IQueryable<T> query, Expression<Func<T, DateTimeOffset>> at, Expression<Func<T, Guid>> id,
        int limit, PageCursor? after, CancellationToken cancellationToken)
    {
        if (after is not null)
        {
            query = query.Where(Before(at, id, after));
        }

        var rows = await query.OrderByDescending(at).ThenByDescending(id).Take(limit + 1).ToListAsync(cancellationToken);
        if (rows.Count <= limit)
        {
            return (rows, null);
        }

        var last = rows[limit - 1];
        rows.RemoveAt(limit);
        // Interpreted: a compiled lambda is new machine code on every page (two methods a request, found by eng/soak.sh).
        return (rows, new PageCursor(at.Compile(preferInterpretation: true)(last), id.Compile(preferInterpretation: true)(last)).ToString());
    }

    /// <summary><c>at &lt; cursor.At || (at == cursor.At &amp;&amp; id &lt; cursor.Id)</c>, over the cursor's values as query parameters.</summary>
    private static Expression<Func<T, bool>> Before<T>(Expression<Func<T, DateTimeOffset>> at, Expression<Func<T, Guid>> id, PageCursor after)
    {
        var row = at.Parameters[0];
        var atOfRow = at.Body;
        var idOfRow = new ReplaceParameter(id.Parameters[0], row).Visit(id.Body);
        Expression<Func<DateTimeOffset>> cursorAt = () => after.At;
        Expression<Func<Guid>> cursorId = () => after.Id;
        var compareIds = Expression.Call(idOfRow, typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!, cursorId.Body);
        return Expression.Lambda<Func<T, bool>>(
            Expression.OrElse(
                Expression.LessThan(atOfRow, cursorAt.Body),
                Expression.AndAlso(Expression.Equal(atOfRow, cursorAt.Body), Expression.LessThan(compareIds, Expression.Constant(0)))),
            row);
    }

    private sealed class ReplaceParameter(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
