using JiraExport.JiraSimulator.Seed;

namespace JiraExport.JiraSimulator.Jql;

/// <summary>A parsed and checked query, ready to run against the store.</summary>
internal sealed record CompiledJql(Func<SeedIssue, bool> Filter, IComparer<SeedIssue> Order);
