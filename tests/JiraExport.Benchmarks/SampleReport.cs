using JiraExport.Core.Reports;

namespace JiraExport.Benchmarks;

/// <summary>
/// A deterministic report model that looks like a real mixed-language Jira project: English and Russian
/// summaries of varied length, some emoji, Latin and Cyrillic assignees, unassigned issues and missing priorities.
/// The same <c>count</c> always gives the same report, so runs are comparable.
/// </summary>
internal static class SampleReport
{
    private const string JiraBaseUrl = "https://example.atlassian.net";

    private static readonly DateTimeOffset GeneratedAt = new(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);

    private static readonly string[] EnglishSummaries =
    [
        "Login page shows a blank screen after password reset",
        "Export to PDF cuts off the last column on A4 portrait",
        "Add retry with exponential backoff to the webhook dispatcher",
        "Search results are not sorted by updated date when the JQL has ORDER BY",
        "Upgrade the payment SDK to the version that supports 3-D Secure 2",
        "Dashboard gadget times out for projects with more than 10,000 issues",
        "Typo in the onboarding e-mail",
        "Customer cannot attach files larger than 10 MB through the service portal even though the limit is configured as 50 MB",
        "Memory leak in the background sync worker after a network partition",
        "Document the new API key rotation procedure for tenant administrators",
        "Flaky integration test: OrderShippedEventIsPublishedOnce",
        "Support \"quoted\" & <angle-bracketed> values in custom field names",
    ];

    private static readonly string[] RussianSummaries =
    [
        "Не приходит письмо с подтверждением регистрации",
        "Ошибка 500 при выгрузке отчёта за квартал",
        "Добавить фильтр по исполнителю на доску спринта",
        "Медленно открывается карточка задачи с большим количеством комментариев",
        "Исправить перенос длинных слов в заголовке PDF-отчёта",
        "Синхронизация с 1С падает при пустом поле «Контрагент»",
        "Обновить сертификат TLS на тестовом стенде",
        "После обновления браузера кнопка «Сохранить» перестала реагировать на нажатие, если форма открыта во всплывающем окне",
        "Перевести интерфейс настроек на русский язык",
        "Проверить расчёт НДС для юридических лиц из Казахстана",
    ];

    private static readonly string[] Emoji = ["🚀", "🐛", "🔥", "✅", "⚠️", "💡", "🎉", "👀"];

    private static readonly string[] Statuses = ["To Do", "In Progress", "In Review", "Done", "К выполнению", "В работе", "Готово", "Blocked"];

    private static readonly string?[] Assignees =
    [
        "Alice Johnson", "Сидоров Егор Ильич", null, "Bob O'Connor", "Мария Кузнецова", "Chen Wei",
        "Анна-Мария Петрова-Водкина", null, "José Álvarez", "Дмитрий Иванов", "Priya Natarajan", null,
    ];

    private static readonly string?[] Priorities = ["Highest", "High", "Medium", "Medium", "Low", "Lowest", null];

    private static readonly string[] Projects = ["ALPHA", "MOBILE", "ПОДДЕРЖКА"];

    public static ReportModel Create(string kind, int count)
    {
        var issues = new IssueModel[count];
        for (var i = 0; i < count; i++)
        {
            var key = $"{Projects[i % Projects.Length]}-{1_000 + i}";
            var status = Statuses[(i * 7 + 3) % Statuses.Length];
            var assignee = Assignees[(i * 5 + 1) % Assignees.Length];
            var updated = GeneratedAt.AddMinutes(-(i * 37 + i % 11));
            var description = $"<p>{System.Net.WebUtility.HtmlEncode(Summary(i + 1))}</p>";
            issues[i] = new IssueModel(
                Key: key, Id: (10_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), Url: $"{JiraBaseUrl}/browse/{key}",
                Project: Projects[i % Projects.Length], Summary: Summary(i), IssueType: i % 4 == 0 ? "Bug" : "Story",
                Status: status, StatusCategory: null, Priority: Priorities[(i * 3) % Priorities.Length], Assignee: assignee,
                Reporter: Assignees[(i * 7 + 2) % Assignees.Length], Resolution: null, Created: updated.AddDays(-3), Updated: updated,
                Resolved: null, DueDate: null, Labels: [], Components: [], FixVersions: [], Parent: null, StoryPoints: i % 5,
                DescriptionHtml: description, DescriptionText: Summary(i + 1), CustomFields: [], Fields: new Dictionary<string, string>(),
                Comments: [new CommentModel(assignee, updated, description, Summary(i + 1))], Worklogs: [],
                Transitions: [new TransitionModel("To Do", status, null, updated, assignee)], Changelog: [], SprintNames: [], Links: []);
        }

        return new ReportModel(
            Title: $"Benchmark — {count:N0} issues · Отчёт по задачам 📄",
            Kind: kind,
            Jql: "project in (ALPHA, MOBILE, \"ПОДДЕРЖКА\") AND updated >= -90d AND summary !~ \"test\" ORDER BY updated DESC",
            GeneratedAt: GeneratedAt,
            JiraBaseUrl: JiraBaseUrl,
            Branding: BrandingModel.Default,
            Options: new ReportOptionsModel(Toc: false, Outline: true),
            Columns: SampleReports.DefaultColumns,
            Issues: issues,
            Sprints: [],
            Releases: []);
    }

    private static string Summary(int i)
    {
        // Two in five summaries are Russian; every sixth carries an emoji; every ninth is made long enough to wrap.
        var summary = i % 5 is 1 or 3
            ? RussianSummaries[(i / 5 * 3 + i) % RussianSummaries.Length]
            : EnglishSummaries[(i * 7) % EnglishSummaries.Length];

        if (i % 9 == 4)
        {
            summary += i % 2 == 0
                ? " — reproduced on staging and production, see the linked incident for logs and the customer's screenshots"
                : " — воспроизводится на стенде и в продуктиве, логи и скриншоты клиента приложены к связанному инциденту";
        }

        return i % 6 == 2 ? $"{Emoji[i / 6 % Emoji.Length]} {summary}" : summary;
    }
}
