using MhaRights.Server.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MhaRights.Server.Persistence.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasMaxLength(63);
        builder.Property(k => k.DisplayName).HasMaxLength(200);
        builder.Property(k => k.Role).HasMaxLength(50);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        builder.HasIndex(k => k.Prefix).IsUnique();
        builder.Property(k => k.Salt).HasMaxLength(64);
        builder.Property(k => k.SecretHash).HasMaxLength(64);
        builder.Property(k => k.CreatedByPrincipal).HasMaxLength(200);
        builder.Property(k => k.CreatedByRole).HasMaxLength(50);
        builder.Property(k => k.Version).IsConcurrencyToken();
        // Space-separated ODS codes (at most 50 of at most 6 characters): one column keeps the schema change small.
        builder.Property(k => k.Sites).HasMaxLength(400);
    }
}
