using MhaRights.Server.Adjustments;
using MhaRights.Server.Patients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MhaRights.Server.Persistence.Configurations;

internal sealed class AdjustmentRecordConfiguration : IEntityTypeConfiguration<AdjustmentRecord>
{
    public void Configure(EntityTypeBuilder<AdjustmentRecord> builder)
    {
        builder.ToTable("AdjustmentRecords");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(63);
        builder.Property(r => r.PatientId).HasMaxLength(63);
        builder.HasOne<Patient>().WithMany().HasForeignKey(r => r.PatientId).OnDelete(DeleteBehavior.Restrict);
        // One record per patient (§7.1: the record is the patient's flag).
        builder.HasIndex(r => r.PatientId).IsUnique();
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(30);
        builder.Property(r => r.SharingState).HasConversion<string>().HasMaxLength(30);
        builder.Property(r => r.ReviewState).HasConversion<string>().HasMaxLength(30);
        builder.Property(r => r.IdentificationSource).HasConversion<string>().HasMaxLength(40);
        builder.Property(r => r.IdentificationNote).HasMaxLength(2000);
        builder.ComplexProperty(r => r.Identified, AdjustmentMapping.Actor);
        builder.ComplexProperty(r => r.ThresholdConfirmed, AdjustmentMapping.Actor);
        builder.ComplexProperty(r => r.ThresholdConfirmedByNhsUser, AdjustmentMapping.NhsUser);
        builder.ComplexProperty(r => r.LastReviewed, AdjustmentMapping.Actor);
        builder.ComplexProperty(r => r.Removal, AdjustmentMapping.Removal);
        builder.ComplexProperty(r => r.SharingDecision, d =>
        {
            d.Property(x => x.Decision).HasConversion<string>().HasMaxLength(30);
            d.Property(x => x.ConsentProxyRoleCode).HasMaxLength(16);
            d.Property(x => x.RepresentativeName).HasMaxLength(200);
            d.Property(x => x.RepresentativeRelationship).HasMaxLength(200);
            d.ComplexProperty(x => x.BestInterest, AdjustmentMapping.BestInterest);
            d.ComplexProperty(x => x.Recorded, AdjustmentMapping.Actor);
        });
        builder.ComplexProperty(r => r.NationalSync, s =>
        {
            s.Property(x => x.NationalFlagId).HasMaxLength(200);
            s.Property(x => x.LastRequestId).HasMaxLength(64);
            s.Property(x => x.LastOutcomeCode).HasMaxLength(64);
            s.Property(x => x.LastOutcomeDiagnostics).HasMaxLength(2000);
        });
        builder.Property(r => r.Version).IsConcurrencyToken();
        // Review worklist: ACTIVE records ordered by due date.
        builder.HasIndex(r => new { r.State, r.ReviewDueTime });
    }
}

/// <summary>Column mappings of the adjustment value objects, shared by records and items.</summary>
internal static class AdjustmentMapping
{
    public static void Actor(ComplexPropertyBuilder<AdjustmentActor> b)
    {
        b.Property(x => x.Principal).HasMaxLength(200);
        b.Property(x => x.Role).HasMaxLength(50);
        b.Property(x => x.DisplayName).HasMaxLength(200);
        b.Ignore(x => x.IsSet);
    }

    public static void NhsUser(ComplexPropertyBuilder<AdjustmentNhsUser> b)
    {
        b.Property(x => x.SdsUserId).HasMaxLength(12);
        b.Property(x => x.SdsRoleProfileId).HasMaxLength(12);
        b.Property(x => x.SdsJobRoleCode).HasMaxLength(8);
        b.Property(x => x.OdsOrganizationCode).HasMaxLength(10);
        b.Ignore(x => x.IsSet);
    }

    public static void BestInterest(ComplexPropertyBuilder<AdjustmentBestInterest> b)
    {
        b.Property(x => x.DecisionMaker).HasMaxLength(200);
        b.Property(x => x.Summary).HasMaxLength(2000);
        b.Ignore(x => x.IsSet);
    }

    public static void Removal(ComplexPropertyBuilder<AdjustmentRemoval> b)
    {
        b.Property(x => x.ReasonCode).HasMaxLength(32);
        b.Property(x => x.Comment).HasMaxLength(2000);
        b.ComplexProperty(x => x.BestInterest, BestInterest);
        b.ComplexProperty(x => x.By, Actor);
        b.Ignore(x => x.IsSet);
    }
}
