using JiraExport.Api.Contracts;
using JiraExport.Core.Domain;

namespace JiraExport.Api.Apis;

internal static class BulkExportValidation
{
    public static Dictionary<string, string[]> Validate(CreateBulkExportRequest request)
    {
        var splitBy = BulkSplits.All.FirstOrDefault(s => string.Equals(s, request.SplitBy, StringComparison.OrdinalIgnoreCase));
        var byList = splitBy == BulkSplits.JqlList;

        // What a bulk request shares with a single export (connection, format, template, source, title) is checked the same way.
        var errors = ExportValidation.Validate(new CreateExportRequest(
            request.ConnectionId, byList ? "-" : request.Jql, request.Format, request.Template, request.Title, request.Source,
            request.TemplateVersion, request.Fields, request.Options));

        if (splitBy is null)
        {
            errors["splitBy"] = [$"splitBy is required: one of {string.Join(", ", BulkSplits.All.Select(s => $"\"{s}\""))}."];
        }

        if (byList)
        {
            ValidateJqlList(request, errors);
        }
        else if (request.JqlList is not null)
        {
            errors["jqlList"] = ["jqlList goes with splitBy \"jqlList\"; for other splits give one jql."];
        }

        if (request.Package is not null && !BulkPackages.All.Contains(request.Package))
        {
            errors["package"] = ["Package must be \"zip\" (the default: one file per document) or \"merged-pdf\" (one PDF with a bookmark per document)."];
        }
        else if (request.Package == BulkPackages.MergedPdf && (request.Format ?? ExportValidation.DefaultFormat).ToLowerInvariant() != ExportValidation.DefaultFormat)
        {
            errors["package"] = [$"A merged PDF can only be made of PDF documents; use format \"pdf\" or package \"zip\" for {request.Format} files."];
        }

        return errors;
    }

    private static void ValidateJqlList(CreateBulkExportRequest request, Dictionary<string, string[]> errors)
    {
        if (request.Jql is not null)
        {
            errors["jql"] = ["With splitBy \"jqlList\" the queries go in jqlList; leave jql out."];
        }

        if (request.JqlList is not { Count: > 0 } list)
        {
            errors["jqlList"] = ["jqlList needs at least one JQL query, e.g. [\"project = ABC\", \"project = XYZ\"]."];
        }
        else if (list.Count > BulkLimits.MaxJqlListEntries)
        {
            errors["jqlList"] = [$"jqlList holds {list.Count:N0} queries; the limit is {BulkLimits.MaxJqlListEntries:N0}. Split the request."];
        }
        else
        {
            var problems = list
                .Select((jql, index) => string.IsNullOrWhiteSpace(jql)
                    ? $"Entry {index} is empty."
                    : jql.Length > ExportValidation.MaxJqlLength
                        ? $"Entry {index} is {jql.Length:N0} characters long; the limit is {ExportValidation.MaxJqlLength:N0}."
                        : null)
                .OfType<string>()
                .Take(10)
                .ToArray();
            if (problems.Length > 0)
            {
                errors["jqlList"] = problems;
            }
        }
    }
}
