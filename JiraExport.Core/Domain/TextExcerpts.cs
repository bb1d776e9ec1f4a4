namespace JiraExport.Core.Domain;

public static class TextExcerpts
{
    /// <summary>
    /// At most <paramref name="maxLength"/> characters of <paramref name="text"/>, never cutting a character of two UTF-16
    /// units in half (a lone half does not encode, and PostgreSQL would refuse the row that keeps it).
    /// </summary>
    public static string Excerpt(this string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxLength)
        {
            return text;
        }

        return text[..(char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength)];
    }
}
