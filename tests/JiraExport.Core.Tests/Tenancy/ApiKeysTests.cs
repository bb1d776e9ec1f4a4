using JiraExport.Core.Tenancy;

namespace JiraExport.Core.Tests.Tenancy;

public sealed class ApiKeysTests
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    [Fact]
    public void GeneratedKeyIsJxPrefixAnd40Base62Characters()
    {
        var key = ApiKeys.Generate();

        Assert.StartsWith("jx_", key, StringComparison.Ordinal);
        Assert.Equal(43, key.Length);
        Assert.All(key[3..], c => Assert.Contains(c, Base62));
    }

    [Fact]
    public void GeneratedKeysDoNotRepeat()
    {
        var keys = Enumerable.Range(0, 1_000).Select(_ => ApiKeys.Generate()).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(1_000, keys.Count);
    }

    [Fact]
    public void GeneratedKeysUseTheWholeAlphabet()
    {
        // 200 keys × 40 characters: missing any of 62 characters by chance is below 1e-40.
        var seen = Enumerable.Range(0, 200).SelectMany(_ => ApiKeys.Generate()[3..]).ToHashSet();

        Assert.Equal(Base62.ToHashSet(), seen);
    }

    [Fact]
    public void HashIsTheSha256OfTheWholeKey()
    {
        var hash = ApiKeys.Hash("jx_0123456789abcdefghijABCDEFGHIJ0123456789");

        Assert.Equal(32, hash.Length);
        Assert.Equal("1b8942b9e7fae65616373c1463859c3096aa6ecb285ae74cf9260f25dc0d703a", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void HashIsDeterministicAndDiffersPerKey()
    {
        var key = ApiKeys.Generate();

        Assert.Equal(ApiKeys.Hash(key), ApiKeys.Hash(key));
        Assert.NotEqual(ApiKeys.Hash(key), ApiKeys.Hash(key + "x"));
    }

    [Fact]
    public void DisplayPrefixIsTheFirstTenCharacters()
    {
        Assert.Equal("jx_0123456", ApiKeys.DisplayPrefix("jx_0123456789abcdefghijABCDEFGHIJ0123456789"));
    }

    [Fact]
    public void DisplayPrefixOfAGeneratedKeyRevealsSevenRandomCharacters()
    {
        var key = ApiKeys.Generate();

        var prefix = ApiKeys.DisplayPrefix(key);

        Assert.Equal(10, prefix.Length);
        Assert.Equal(key[..10], prefix);
    }

    [Fact]
    public void DisplayPrefixOfAShortStringIsTheWholeString()
    {
        Assert.Equal("jx_abc", ApiKeys.DisplayPrefix("jx_abc"));
        Assert.Equal("", ApiKeys.DisplayPrefix(""));
    }
}
