using JiraExport.JiraSimulator.Jql;

namespace JiraExport.JiraSimulator.Tests;

public sealed class JqlTokenizerTests
{
    [Fact]
    public void WordsStringsOperatorsAndPunctuationBecomeTokens()
    {
        var tokens = JqlTokenizer.Tokenize("project in (ALPHA, 'Beta Mobile') AND status != \"In Progress\"");

        Assert.Equal(
            [
                (JqlTokenKind.Word, "project"), (JqlTokenKind.Word, "in"), (JqlTokenKind.LeftParen, "("),
                (JqlTokenKind.Word, "ALPHA"), (JqlTokenKind.Comma, ","), (JqlTokenKind.String, "Beta Mobile"),
                (JqlTokenKind.RightParen, ")"), (JqlTokenKind.Word, "AND"), (JqlTokenKind.Word, "status"),
                (JqlTokenKind.Operator, "!="), (JqlTokenKind.String, "In Progress"), (JqlTokenKind.End, ""),
            ],
            tokens.Select(t => (t.Kind, t.Text)).ToArray());
    }

    [Fact]
    public void IssueKeysAndRelativeDatesAreSingleWords()
    {
        var tokens = JqlTokenizer.Tokenize("key = ALPHA-10 or updated >= -5d");

        Assert.Contains(tokens, t => t is { Kind: JqlTokenKind.Word, Text: "ALPHA-10" });
        Assert.Contains(tokens, t => t is { Kind: JqlTokenKind.Operator, Text: ">=" });
        Assert.Contains(tokens, t => t is { Kind: JqlTokenKind.Word, Text: "-5d" });
    }

    [Fact]
    public void EscapesInsideQuotedStringsAreDecoded()
    {
        var tokens = JqlTokenizer.Tokenize("summary ~ \"say \\\"hi\\\" \\u0041\"");

        Assert.Equal("say \"hi\" A", tokens[2].Text);
    }

    [Fact]
    public void CyrillicValuesAreWords()
    {
        var tokens = JqlTokenizer.Tokenize("summary ~ ошибку");

        Assert.Equal("ошибку", tokens[2].Text);
    }

    [Fact]
    public void ReservedCharacterIsRejectedWithItsPosition()
    {
        var ex = Assert.Throws<JqlException>(() => JqlTokenizer.Tokenize("project = AL#PHA"));

        Assert.StartsWith("Error in the JQL Query: The character '#' is a reserved JQL character.", ex.Message);
        Assert.EndsWith("(line 1, character 13)", ex.Message);
    }

    [Fact]
    public void UnterminatedStringIsRejected()
    {
        var ex = Assert.Throws<JqlException>(() => JqlTokenizer.Tokenize("status = \"In Progress"));

        Assert.Contains("The quoted string 'In Progress' has not been completed.", ex.Message);
    }
}
