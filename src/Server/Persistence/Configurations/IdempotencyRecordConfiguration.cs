using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MhaRights.Server.Persistence.Configurations;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyRecords");
        // The unique key that enforces AIP-155 across requests and server instances.
        builder.HasKey(r => new { r.Caller, r.Method, r.RequestId });
        builder.Property(r => r.Caller).HasMaxLength(200);
        builder.Property(r => r.Method).HasMaxLength(150);
        builder.Property(r => r.RequestId).HasMaxLength(100);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.HasIndex(r => r.CreateTime);
    }
}
