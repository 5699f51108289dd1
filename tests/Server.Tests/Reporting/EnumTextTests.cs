using System.Text;
using MhaRights.Server.Patients;
using MhaRights.Server.Reporting.Queries;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>The report scan's parser of enum names stored as text, from SQLite's UTF-8 bytes.</summary>
public sealed class EnumTextTests
{
    [Fact]
    public void Parse_EveryStoredName_ItsValue()
    {
        AssertAll<DutyKind>();
        AssertAll<DutyState>();
        AssertAll<DutyTrigger>();
        AssertAll<Provision>();
        AssertAll<PatientSex>();
    }

    [Theory]
    [InlineData("")]
    [InlineData("Section3x")]
    [InlineData("section3")]
    [InlineData("NoSuchProvision")]
    public void Parse_NotAName_Throws(string text) =>
        Assert.ThrowsAny<ArgumentException>(() => EnumText<Provision>.Parse(Encoding.UTF8.GetBytes(text)));

    private static void AssertAll<T>()
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            Assert.Equal(value, EnumText<T>.Parse(Encoding.UTF8.GetBytes(value.ToString())));
            Assert.Equal(value, EnumText<T>.Parse(value.ToString()));
        }
    }
}
