using JiraExport.JiraSimulator.Jql;

namespace JiraExport.JiraSimulator.Endpoints;

/// <summary>Turns refused requests and bad JQL into Jira's error body, so handlers can simply throw.</summary>
internal sealed class JiraErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (JqlException ex) when (!context.Response.HasStarted)
        {
            await JiraJson.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ex.Message);
        }
        catch (JiraRequestException ex) when (!context.Response.HasStarted)
        {
            await JiraJson.WriteErrorAsync(context, ex.StatusCode, ex.Message);
        }
    }
}
