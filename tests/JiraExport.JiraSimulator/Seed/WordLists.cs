namespace JiraExport.JiraSimulator.Seed;

/// <summary>Phrase lists the summaries and descriptions are assembled from; each list's pieces fit any piece of the next.</summary>
internal static class WordLists
{
    public static readonly string[] EnglishBugVerbs = ["Fix", "Investigate", "Reproduce", "Resolve", "Debug", "Patch"];

    public static readonly string[] EnglishBugObjects =
    [
        "login failure", "crash on startup", "broken PDF export", "timeout when saving", "wrong totals in the report",
        "duplicate notifications", "missing attachments", "slow search results", "layout glitch", "memory leak",
        "stale cache entries", "incorrect time zone handling",
    ];

    public static readonly string[] EnglishFeatureVerbs = ["Add", "Implement", "Improve", "Refactor", "Document", "Redesign", "Optimize"];

    public static readonly string[] EnglishFeatureObjects =
    [
        "bulk export of issues", "dark mode", "CSV import", "audit log", "webhook retries", "role-based access",
        "dashboard filters", "two-factor authentication", "sprint burndown chart", "email digests", "API pagination",
        "onboarding wizard",
    ];

    public static readonly string[] EnglishContexts =
    [
        "in the mobile client", "on the settings page", "for administrators", "in the billing module",
        "after the server upgrade", "in the web UI", "on slow connections", "for new customers", "in the REST API",
        "during nightly sync",
    ];

    public static readonly string[] RussianBugVerbs = ["Исправить", "Исследовать", "Воспроизвести", "Устранить", "Отладить"];

    public static readonly string[] RussianBugObjects =
    [
        "ошибку авторизации", "падение при запуске", "сломанный экспорт в PDF", "таймаут при сохранении",
        "неверные итоги в отчёте", "дублирование уведомлений", "пропажу вложений", "медленный поиск",
        "утечку памяти", "некорректную обработку часовых поясов", "зависание интерфейса",
    ];

    public static readonly string[] RussianFeatureVerbs = ["Добавить", "Реализовать", "Доработать", "Переработать", "Описать", "Оптимизировать"];

    public static readonly string[] RussianFeatureObjects =
    [
        "массовый экспорт задач", "тёмную тему", "импорт из CSV", "журнал аудита", "повторную отправку вебхуков",
        "разграничение прав по ролям", "фильтры на дашборде", "двухфакторную аутентификацию", "диаграмму сгорания спринта",
        "ежедневную рассылку", "постраничную выдачу в API",
    ];

    public static readonly string[] RussianContexts =
    [
        "в мобильном клиенте", "на странице настроек", "для администраторов", "в модуле оплаты",
        "после обновления сервера", "в веб-интерфейсе", "при медленном соединении", "для новых клиентов",
        "в REST API", "во время ночной синхронизации",
    ];

    public static readonly string[] Emoji = ["🚀", "✅", "🐛", "🔥", "⚡"];

    public static readonly string[] EnglishParagraphs =
    [
        "Steps to reproduce: open the page, repeat the action twice and watch the browser console.",
        "Expected result: the operation completes without errors. Actual result: the request fails with HTTP 500.",
        "Customers reported this in several support tickets this week; see the linked conversations for details.",
        "Acceptance criteria: the change is covered by tests, documented in the changelog and reviewed by QA.",
        "The current implementation loads everything into memory; we should stream the data page by page instead.",
        "Please coordinate with the mobile team before merging, since the API contract changes slightly.",
    ];

    public static readonly string[] RussianParagraphs =
    [
        "Шаги воспроизведения: открыть страницу, повторить действие дважды и посмотреть консоль браузера.",
        "Ожидаемый результат: операция завершается без ошибок. Фактический результат: запрос падает с кодом 500.",
        "Клиенты сообщили о проблеме в нескольких обращениях на этой неделе, подробности в связанных тикетах.",
        "Критерии приёмки: изменение покрыто тестами, описано в списке изменений и проверено тестировщиками.",
        "Сейчас все данные загружаются в память целиком; нужно обрабатывать их постранично.",
        "Перед слиянием согласовать с мобильной командой, так как контракт API немного меняется.",
    ];
}
