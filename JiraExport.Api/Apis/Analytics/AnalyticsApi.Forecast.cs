using JiraExport.Api.Contracts;
using JiraExport.Core.Analytics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace JiraExport.Api.Apis;

/// <summary>
/// What a forecast asks: <paramref name="Items"/> for "when will they be done", <paramref name="Until"/> for "how many by
/// then", and the <paramref name="Seed"/> of an earlier answer to reproduce it (a new one is drawn and returned otherwise).
/// </summary>
public sealed record ForecastQuery(
    [FromQuery(Name = "items")] int? Items,
    [FromQuery(Name = "until")] DateOnly? Until,
    [FromQuery(Name = "seed")] long? Seed);

/// <summary>The handlers of <c>analytics/forecast</c>: Monte Carlo forecasts from the throughput history of a flow query's window.</summary>
public static partial class AnalyticsApi
{
    private const int MaxForecastItems = 100_000;

    /// <summary>Seeds stay below 2^53, so a JavaScript client reads the seed it was given back exactly.</summary>
    private const long MaxSeed = 1L << 53;

    public static async Task<Results<Ok<WhenForecastResponse>, ValidationProblem, ProblemHttpResult>> ForecastWhen(
        [AsParameters] FlowQuery history, [AsParameters] ForecastQuery forecast, [AsParameters] FlowServices services, CancellationToken cancellationToken)
    {
        if (forecast.Items is not (> 0 and <= MaxForecastItems))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["items"] = [$"How many items are left: 1 to {MaxForecastItems:N0}."] });
        }

        if (InvalidSeed(forecast) is { } badSeed)
        {
            return badSeed;
        }

        return await AnswerAsync<Ok<WhenForecastResponse>>(null, history with { Bucket = "day" }, services, past =>
        {
            var throughput = past.Figure(FlowMetricNames.Throughput);
            if (throughput.Values.Count == 0)
            {
                return NoThroughput(past.Window);
            }

            var (forecaster, today) = Forecaster(past, throughput, services.Time);
            var answer = forecaster.When(forecast.Items.Value, today, forecast.Seed ?? Random.Shared.NextInt64(MaxSeed));
            return TypedResults.Ok(new WhenForecastResponse(
                answer.Items, answer.Seed, answer.Trials, answer.Days, answer.Dates, answer.Unfinished, today, past.Window.From, past.Window.To,
                past.Basis, FlowForecast.Rule));
        }, cancellationToken);
    }

    public static async Task<Results<Ok<HowManyForecastResponse>, ValidationProblem, ProblemHttpResult>> ForecastHowMany(
        [AsParameters] FlowQuery history, [AsParameters] ForecastQuery forecast, [AsParameters] FlowServices services, CancellationToken cancellationToken)
    {
        if (InvalidSeed(forecast) is { } badSeed)
        {
            return badSeed;
        }

        // Checked roughly before the history is read (the calendar's today is within a day of UTC's), exactly after.
        var utcToday = DateOnly.FromDateTime(services.Time.GetUtcNow().UtcDateTime);
        if (forecast.Until is not { } until || until < utcToday.AddDays(-1) || until > utcToday.AddDays(FlowForecast.MaxDays))
        {
            return BadUntil(utcToday);
        }

        return await AnswerAsync<Ok<HowManyForecastResponse>>(null, history with { Bucket = "day" }, services, past =>
        {
            var (forecaster, today) = Forecaster(past, past.Figure(FlowMetricNames.Throughput), services.Time);
            if (until < today || until.DayNumber - today.DayNumber >= FlowForecast.MaxDays)
            {
                return BadUntil(today);
            }

            var answer = forecaster.HowMany(today, until, forecast.Seed ?? Random.Shared.NextInt64(MaxSeed));
            return TypedResults.Ok(new HowManyForecastResponse(
                answer.Until, answer.Seed, answer.Trials, answer.Days, answer.Items, today, past.Window.From, past.Window.To, past.Basis,
                FlowForecast.Rule + " P85 of \"how many\" is the count 85 % of trials reached at least."));
        }, cancellationToken);
    }

    private static (FlowForecast Forecaster, DateOnly Today) Forecaster(FlowComputation history, FlowFigure throughput, TimeProvider timeProvider)
    {
        var calendar = history.Calendar.Calendar;
        var businessDays = history.Definition.Rules.Days == DayKind.Business;
        var days = FlowForecast.History(throughput, calendar, businessDays);
        return (new FlowForecast(days, calendar, businessDays), calendar.DateOf(timeProvider.GetUtcNow()));
    }

    private static ValidationProblem BadUntil(DateOnly today) => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["until"] = [$"The date to forecast up to: from today ({today:yyyy-MM-dd}) to {FlowForecast.MaxDays} days ahead."],
    });

    private static ValidationProblem? InvalidSeed(ForecastQuery forecast) => forecast.Seed is not (null or (>= 0 and < MaxSeed))
        ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["seed"] = ["A seed this API handed out: 0 to 2^53 − 1."] })
        : null;

    private static ProblemHttpResult NoThroughput(FlowWindow window) => TypedResults.Problem(
        title: "No throughput to forecast from",
        detail: $"No item finished from {window.From:yyyy-MM-dd} to {window.To:yyyy-MM-dd}; widen the history (from, to) or check the definition's end statuses.",
        statusCode: StatusCodes.Status422UnprocessableEntity);
}
