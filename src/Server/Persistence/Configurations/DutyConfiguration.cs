using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Rights.Duties;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MhaRights.Server.Persistence.Configurations;

internal sealed class DutyConfiguration : IEntityTypeConfiguration<RightsDuty>
{
    public void Configure(EntityTypeBuilder<RightsDuty> builder)
    {
        builder.ToTable("RightsDuties");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasMaxLength(63);
        builder.Property(d => d.PatientId).HasMaxLength(63);
        builder.Property(d => d.EpisodeId).HasMaxLength(63);
        builder.HasOne<Patient>().WithMany().HasForeignKey(d => d.PatientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LegalStatusEpisode>().WithMany().HasForeignKey(d => d.EpisodeId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(40);
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(30);
        builder.Property(d => d.Trigger).HasConversion<string>().HasMaxLength(30);
        builder.Property(d => d.LastTrigger).HasConversion<string>().HasMaxLength(30);
        builder.Property(d => d.Provision).HasConversion<string>().HasMaxLength(40);
        builder.Property(d => d.Hospital).HasMaxLength(64);
        builder.Property(d => d.Ward).HasMaxLength(64);
        builder.Property(d => d.ResolutionNote).HasMaxLength(1000);
        builder.Property(d => d.SupersededById).HasMaxLength(63);
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.HasIndex(d => new { d.PatientId, d.State });
        // Worklists: state + place, ordered by deadline.
        builder.HasIndex(d => new { d.State, d.Hospital, d.Ward, d.DueTime });
        builder.HasIndex(d => new { d.State, d.NextAttemptTime });
        builder.HasIndex(d => new { d.State, d.NextReminderTime });
        // Compliance report (Reporting/Queries/ReportScan): every column it reads, with the attempts' projection
        // (Reporting/DutyReportFacts), so it scans this narrow index instead of the table or the attempts. Episode
        // first: the scan sums an episode's duties as it meets them (adjacent), and the index serves the foreign key.
        builder.HasIndex(d => new
            {
                d.EpisodeId, d.Id, d.PatientId, d.Kind, d.State, d.Trigger, d.Provision, d.OpenTime, d.DueTime, d.ResolvedTime, d.FirstAttemptTime, d.AttemptCount, d.NextAttemptTime,
                d.FirstUnderstoodTime, d.RenewalAttempted, d.TribunalAttempted, d.LatestInformationTime,
            })
            .HasDatabaseName("IX_RightsDuties_Report");
    }
}
