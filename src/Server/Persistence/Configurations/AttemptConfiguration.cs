using MhaRights.Server.Rights.Duties;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MhaRights.Server.Persistence.Configurations;

internal sealed class AttemptConfiguration : IEntityTypeConfiguration<ExplanationAttempt>
{
    public void Configure(EntityTypeBuilder<ExplanationAttempt> builder)
    {
        builder.ToTable("ExplanationAttempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(63);
        builder.Property(a => a.DutyId).HasMaxLength(63);
        builder.Property(a => a.PatientId).HasMaxLength(63);
        builder.HasOne<RightsDuty>().WithMany().HasForeignKey(a => a.DutyId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(a => a.ExplainedBy).HasMaxLength(200);
        builder.Property(a => a.ExplainedByRole).HasMaxLength(100);
        builder.Property(a => a.Provision).HasConversion<string>().HasMaxLength(40);
        builder.Property(a => a.Trigger).HasConversion<string>().HasMaxLength(30);
        builder.Property(a => a.LeafletId).HasMaxLength(64);
        builder.Property(a => a.LeafletVersion).HasMaxLength(32);
        builder.Property(a => a.LeafletLanguage).HasMaxLength(16);
        builder.Property(a => a.AccessibleFormat).HasMaxLength(100);
        builder.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(30);
        builder.Property(a => a.CapacityNote).HasMaxLength(2000);
        builder.Property(a => a.NearestRelativeSharing).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Note).HasMaxLength(2000);
        builder.Property(a => a.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.CorrectsId).HasMaxLength(63);
        builder.Property(a => a.CorrectedById).HasMaxLength(63);
        builder.Property(a => a.VoidReason).HasMaxLength(1000);
        builder.Property(a => a.RecordedByPrincipal).HasMaxLength(200);
        builder.Property(a => a.RecordedByRole).HasMaxLength(50);
        builder.Property(a => a.RecordedByDisplayName).HasMaxLength(200);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new { a.DutyId, a.AttemptTime });
        builder.HasIndex(a => new { a.PatientId, a.AttemptTime });
        // Compliance report (s130D measure): whether the patient has a standing attempt that gave the IMHA information at
        // or after a time, one search of this index (the rest of what the report needs from attempts is on the duty row).
        builder.HasIndex(a => new { a.ImhaInformationGiven, a.State, a.PatientId, a.AttemptTime })
            .HasDatabaseName("IX_ExplanationAttempts_Report");
        // Compliance report (unmet communication needs): the standing attempts that answered needs, about one in forty,
        // by patient, without reading the attempt rows (scattered over the table: 1.2 s of random reads at 1,000,000
        // episodes). Only those attempts are in it, so recording any other attempt does not touch it.
        builder.HasIndex(a => new { a.PatientId, a.DutyId, a.UnmetCommunicationNeeds })
            .HasDatabaseName("IX_ExplanationAttempts_Communication")
            .HasFilter("[CommunicationNeedsJson] IS NOT NULL AND [State] = 'Recorded'");
    }
}
