using MhaRights.Server.Patients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MhaRights.Server.Persistence.Configurations;

internal sealed class PatientConfiguration : IEntityTypeConfiguration<Patient>
{
    public void Configure(EntityTypeBuilder<Patient> builder)
    {
        builder.ToTable("Patients");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(63);
        builder.Property(p => p.LocalId).HasMaxLength(64);
        builder.HasIndex(p => p.LocalId).IsUnique();
        builder.Property(p => p.NhsNumber).HasMaxLength(10);
        builder.HasIndex(p => p.NhsNumber).IsUnique().HasFilter("[NhsNumber] IS NOT NULL");
        builder.Property(p => p.GivenName).HasMaxLength(100);
        builder.Property(p => p.FamilyName).HasMaxLength(100);
        builder.Property(p => p.Sex).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.EthnicCategory).HasMaxLength(2);
        builder.Property(p => p.PreferredLanguage).HasMaxLength(16);
        builder.Property(p => p.Hospital).HasMaxLength(64);
        builder.Property(p => p.Ward).HasMaxLength(64);
        builder.Property(p => p.NearestRelativeStatus).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.NearestRelativeName).HasMaxLength(200);
        builder.Property(p => p.NearestRelativeRelationship).HasMaxLength(100);
        builder.Property(p => p.NearestRelativeAddress).HasMaxLength(500);
        builder.Property(p => p.NearestRelativeContact).HasMaxLength(200);
        builder.Property(p => p.Version).IsConcurrencyToken();
        // Compliance report: the breakdown columns, read as one narrow scan.
        builder.HasIndex(p => new { p.Id, p.EthnicCategory, p.Sex, p.DateOfBirth }).HasDatabaseName("IX_Patients_Report");
        builder.Ignore(p => p.DisplayName);
    }
}
