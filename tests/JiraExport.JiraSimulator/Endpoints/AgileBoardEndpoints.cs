using System.Globalization;
using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>
/// The Agile API's boards (same paths on Cloud and Data Center): the list, one board, its configuration, its sprints
/// and its epics.
/// </summary>
internal static class AgileBoardEndpoints
{
    private const int DefaultMaxResults = 50;

    // Cloud pages boards, sprints and epics by 50 at most.
    private const int MaxResultsCap = 50;

    private static readonly string[] BoardTypes = ["scrum", "kanban", "simple"];

    public static IEndpointRouteBuilder MapAgileBoards(this IEndpointRouteBuilder app)
    {
        var boards = app.MapGroup("/rest/agile/1.0/board");
        boards.MapGet("", GetBoards);
        boards.MapGet("/{boardId}", (string boardId, HttpRequest request) => JiraJson.Ok(BoardRenderer.Board(Find(boardId), Api(request))));
        boards.MapGet("/{boardId}/configuration", (string boardId, HttpRequest request) => JiraJson.Ok(BoardRenderer.Configuration(Find(boardId), Api(request))));
        boards.MapGet("/{boardId}/sprint", GetSprints);
        boards.MapGet("/{boardId}/epic", GetEpics);
        return app;
    }

    /// <summary><c>projectKeyOrId</c>, <c>type</c> (comma-separated) and <c>name</c> (contains) narrow the list, which is in id order.</summary>
    private static IResult GetBoards(HttpRequest request)
    {
        var query = request.Query;
        IEnumerable<SeedBoard> boards = AgileCatalog.Boards;
        if (query["projectKeyOrId"].LastOrDefault() is { Length: > 0 } project)
        {
            var found = JiraCatalog.Projects.FirstOrDefault(p => p.Id == project || string.Equals(p.Key, project, StringComparison.OrdinalIgnoreCase))
                        ?? throw new JiraRequestException(StatusCodes.Status400BadRequest, $"No project could be found with key or id '{project}'.");
            boards = boards.Where(b => b.Project == found);
        }

        if (query["type"].LastOrDefault() is { Length: > 0 } type)
        {
            var types = Csv(type, BoardTypes, "type");
            boards = boards.Where(b => types.Contains(b.Type));
        }

        if (query["name"].LastOrDefault() is { Length: > 0 } name)
        {
            boards = boards.Where(b => b.Name.Contains(name, StringComparison.OrdinalIgnoreCase));
        }

        var api = Api(request);
        var paging = OffsetPage.From(SearchRequest.FromQuery(query), DefaultMaxResults, MaxResultsCap);
        return JiraJson.Ok(paging.Values([.. boards], b => BoardRenderer.Board(b, api), withTotal: true));
    }

    /// <summary>Closed, then active, then future, each in backlog order; <c>state</c> (comma-separated) keeps only those states.</summary>
    private static IResult GetSprints(string boardId, HttpRequest request)
    {
        var board = Find(boardId);
        if (!board.IsScrum)
        {
            throw new JiraRequestException(StatusCodes.Status400BadRequest, "The board does not support sprints");
        }

        IEnumerable<SeedSprint> sprints = SprintCalendar.Of(board);
        if (request.Query["state"].LastOrDefault() is { Length: > 0 } state)
        {
            var states = Csv(state, ["future", "active", "closed"], "state");
            sprints = sprints.Where(s => states.Contains(SprintRenderer.State(s)));
        }

        var api = Api(request);
        var paging = OffsetPage.From(SearchRequest.FromQuery(request.Query), DefaultMaxResults, MaxResultsCap);
        var ordered = sprints.OrderBy(s => s.State).ThenBy(s => s.Index).ToList();
        return JiraJson.Ok(paging.Values(ordered, s => SprintRenderer.Sprint(s, api), withTotal: false));
    }

    /// <summary>The epics of the board's project; <c>done=true|false</c> keeps done or open ones.</summary>
    private static IResult GetEpics(string boardId, HttpRequest request)
    {
        var board = Find(boardId);
        IEnumerable<SeedEpic> epics = AgileCatalog.Epics.Where(e => e.Project == board.Project);
        if (request.Query["done"].LastOrDefault() is { Length: > 0 } done)
        {
            var wanted = bool.TryParse(done, out var value)
                ? value
                : throw new JiraRequestException(StatusCodes.Status400BadRequest, $"The value '{done}' of parameter 'done' must be true or false.");
            epics = epics.Where(e => e.Done == wanted);
        }

        var api = Api(request);
        var paging = OffsetPage.From(SearchRequest.FromQuery(request.Query), DefaultMaxResults, MaxResultsCap);
        return JiraJson.Ok(paging.Values([.. epics], e => BoardRenderer.Epic(e, api), withTotal: false));
    }

    private static SeedBoard Find(string boardId) =>
        (long.TryParse(boardId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? AgileCatalog.FindBoard(id) : null)
        ?? throw new JiraRequestException(StatusCodes.Status404NotFound, "Board does not exist or you do not have permission to see it.");

    private static HashSet<string> Csv(string value, string[] allowed, string parameter)
    {
        var values = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => v.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        return values.FirstOrDefault(v => !allowed.Contains(v)) is { } wrong
            ? throw new JiraRequestException(StatusCodes.Status400BadRequest, $"'{wrong}' is not a valid value of '{parameter}'; use {string.Join(", ", allowed)}.")
            : values;
    }

    // The Agile API embeds platform objects in their v2 shape (wiki markup, /rest/api/2 links).
    private static ApiContext Api(HttpRequest request) => ApiContext.From(request, 2);
}
