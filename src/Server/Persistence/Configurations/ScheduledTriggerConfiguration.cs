using MhaRights.Server.LegalStatus;
using MhaRights.Server.Rights.Duties;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MhaRights.Server.Persistence.Configurations;

internal sealed class ScheduledTriggerConfiguration : IEntityTypeConfiguration<ScheduledTrigger>
{
    public void Configure(EntityTypeBuilder<ScheduledTrigger> builder)
    {
        builder.ToTable("ScheduledTriggers");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(63);
        builder.Property(t => t.PatientId).HasMaxLength(63);
        builder.Property(t => t.EpisodeId).HasMaxLength(63);
        builder.HasOne<LegalStatusEpisode>().WithMany().HasForeignKey(t => t.EpisodeId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(t => t.Trigger).HasConversion<string>().HasMaxLength(30);
        builder.Property(t => t.Label).HasMaxLength(100);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasIndex(t => new { t.FiredTime, t.Cancelled, t.FireTime });
        builder.HasIndex(t => t.EpisodeId);
    }
}
