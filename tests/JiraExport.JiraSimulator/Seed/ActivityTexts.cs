namespace JiraExport.JiraSimulator.Seed;

/// <summary>What people write in comments and worklogs, and the files they attach, in English and Russian.</summary>
internal static class ActivityTexts
{
    public static readonly string[] EnglishComments =
    [
        "I can reproduce this on the staging environment as well.",
        "Fixed in the latest build, please verify.",
        "Could you attach the server logs from the time of the failure?",
        "This depends on the API change in the other ticket; moving it to the next sprint.",
        "Reviewed the pull request, left a few minor remarks.",
        "QA passed on Chrome and Firefox; Safari still shows the old layout.",
        "Discussed with the customer: the workaround is acceptable until the release.",
        "Estimate updated after the investigation, it is bigger than we thought.",
        "Deployed to production at 14:00, monitoring the error rate.",
        "Closing as the behaviour is expected; documented it in the FAQ.",
    ];

    public static readonly string[] RussianComments =
    [
        "Воспроизводится и на тестовом стенде.",
        "Исправлено в последней сборке, проверьте, пожалуйста.",
        "Приложите, пожалуйста, логи сервера за время сбоя.",
        "Зависит от изменения API в соседней задаче, переносим в следующий спринт.",
        "Посмотрел пул-реквест, оставил несколько мелких замечаний.",
        "Тестирование пройдено в Chrome и Firefox, в Safari ещё старая вёрстка.",
        "Обсудили с заказчиком: обходной путь устраивает до релиза.",
        "Обновил оценку после исследования, задача больше, чем казалось.",
        "Выложено в прод в 14:00, следим за количеством ошибок.",
        "Закрываю: поведение ожидаемое, добавил описание в FAQ.",
    ];

    public static readonly string[] EnglishWorklogs =
        ["Investigation", "Implementation", "Code review fixes", "Writing tests", "Pairing with QA", "Deployment and monitoring"];

    public static readonly string[] RussianWorklogs =
        ["Исследование", "Реализация", "Правки по ревью", "Написание тестов", "Работа с тестировщиком", "Выкладка и мониторинг"];

    public static readonly (string Name, string MimeType, int MinKb, int MaxKb)[] Files =
    [
        ("screenshot.png", "image/png", 40, 2000),
        ("Снимок экрана.png", "image/png", 40, 2000),
        ("server.log", "text/plain", 1, 800),
        ("логи сервера.txt", "text/plain", 1, 800),
        ("report.pdf", "application/pdf", 100, 5000),
        ("требования.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 20, 900),
        ("export.csv", "text/csv", 2, 3000),
        ("trace.har", "application/json", 50, 4000),
    ];
}
