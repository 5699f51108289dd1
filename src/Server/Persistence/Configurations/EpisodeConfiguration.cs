using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MhaRights.Server.Persistence.Configurations;

internal sealed class EpisodeConfiguration : IEntityTypeConfiguration<LegalStatusEpisode>
{
    public void Configure(EntityTypeBuilder<LegalStatusEpisode> builder)
    {
        builder.ToTable("LegalStatusEpisodes");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(63);
        builder.Property(e => e.PatientId).HasMaxLength(63);
        builder.HasOne<Patient>().WithMany().HasForeignKey(e => e.PatientId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(e => e.Provision).HasConversion<string>().HasMaxLength(40);
        builder.Property(e => e.SuspendedProvision).HasConversion<string>().HasMaxLength(40);
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.EndReason).HasConversion<string>().HasMaxLength(40);
        builder.Property(e => e.Hospital).HasMaxLength(64);
        builder.Property(e => e.Ward).HasMaxLength(64);
        builder.Property(e => e.EndNote).HasMaxLength(1000);
        builder.Property(e => e.PreviousEpisodeId).HasMaxLength(63);
        builder.Property(e => e.NextEpisodeId).HasMaxLength(63);
        builder.Property(e => e.ParentEpisodeId).HasMaxLength(63);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.HasIndex(e => new { e.PatientId, e.StartTime });
        builder.HasIndex(e => new { e.State, e.Hospital, e.Ward });
        // Compliance report population: episodes by start time, with every column the report reads (no table lookups).
        builder.HasIndex(e => new { e.StartTime, e.CreateTime, e.EndReason, e.UpdateTime, e.Provision, e.Hospital, e.Ward, e.RenewalCount, e.LastRenewalTime, e.PatientId, e.Id })
            .HasDatabaseName("IX_LegalStatusEpisodes_Report");
    }
}
