using MhaRights.Server.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MhaRights.Server.Persistence.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("AuditEvents");
        builder.HasKey(e => e.Sequence);
        // The sequence is assigned by the application under the write gate (the hash chain needs the order).
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.ActorPrincipal).HasMaxLength(200);
        builder.Property(e => e.ActorRole).HasMaxLength(50);
        builder.Property(e => e.ActorDisplayName).HasMaxLength(200);
        builder.Property(e => e.Action).HasMaxLength(100);
        builder.Property(e => e.Resource).HasMaxLength(300);
        builder.Property(e => e.PatientId).HasMaxLength(63);
        builder.Property(e => e.FromState).HasMaxLength(50);
        builder.Property(e => e.ToState).HasMaxLength(50);
        builder.Property(e => e.Trigger).HasMaxLength(50);
        builder.Property(e => e.Reason).HasMaxLength(1000);
        builder.Property(e => e.RequestId).HasMaxLength(100);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.HasIndex(e => new { e.PatientId, e.Sequence });
        builder.HasIndex(e => new { e.Resource, e.Sequence });
        builder.HasIndex(e => e.EventTime);
    }
}
