namespace JiraExport.Api.Contracts;

/// <summary>
/// Every v2 list has this shape: one page of <paramref name="Items"/>, and <paramref name="Next"/>, the cursor of the
/// page after it (null on the last page; pass it back as <c>cursor</c>).
/// </summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? Next, ListLinks Links);

/// <summary>
/// <paramref name="Self"/> and <paramref name="Next"/>: this page's address and the next one's (null on the last page,
/// the same <c>limit</c> and filters). <paramref name="Items"/>: the address of each item, in the order of the page's
/// items (null for an item with no address of its own, such as a built-in template).
/// </summary>
public sealed record ListLinks(string Self, string? Next, IReadOnlyList<string?> Items);
