using System.Net;
using JiraExport.Core.Jira;
using Xunit;

namespace JiraExport.Core.Tests.Jira;

public sealed class JiraNetworkGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.10")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b:1::a00:1")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("2001:0:4136:e378::1")]
    [InlineData("198.18.0.1")]
    [InlineData("192.0.0.170")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    public void PrivateAndLocalAddressesAreRefused(string address)
    {
        Assert.True(JiraNetworkGuard.IsPrivate(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("104.192.136.1")]
    [InlineData("172.32.0.1")]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700::1111")]
    [InlineData("2a00:1450:4001::200e")]
    public void PublicAddressesAreAllowed(string address)
    {
        Assert.False(JiraNetworkGuard.IsPrivate(IPAddress.Parse(address)));
    }
}
