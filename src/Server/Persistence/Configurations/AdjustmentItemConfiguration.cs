using MhaRights.Server.Adjustments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MhaRights.Server.Persistence.Configurations;

internal sealed class AdjustmentItemConfiguration : IEntityTypeConfiguration<AdjustmentItem>
{
    public void Configure(EntityTypeBuilder<AdjustmentItem> builder)
    {
        builder.ToTable("AdjustmentItems");
        // Item ids are unique per patient: they appear in names under patients/{patient}/adjustmentRecord/items.
        builder.HasKey(i => new { i.PatientId, i.Id });
        builder.Property(i => i.Id).HasMaxLength(63);
        builder.Property(i => i.PatientId).HasMaxLength(63);
        builder.Property(i => i.RecordId).HasMaxLength(63);
        builder.HasOne<AdjustmentRecord>().WithMany().HasForeignKey(i => i.RecordId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(i => i.State).HasConversion<string>().HasMaxLength(30);
        builder.Property(i => i.CategoryCode).HasMaxLength(16);
        builder.Property(i => i.SnomedCode).HasMaxLength(18);
        builder.Property(i => i.Display).HasMaxLength(255);
        builder.Property(i => i.BespokeText).HasMaxLength(1000);
        builder.Property(i => i.ImpairmentCode).HasMaxLength(8);
        builder.Property(i => i.OtherText).HasMaxLength(1000);
        builder.Property(i => i.ConditionCategoryCode).HasMaxLength(40);
        builder.Property(i => i.CodeTableVersion).HasMaxLength(32);
        builder.Property(i => i.FreeText).HasMaxLength(2000);
        builder.Property(i => i.SupersedesId).HasMaxLength(63);
        builder.Property(i => i.SupersededById).HasMaxLength(63);
        builder.Property(i => i.NationalId).HasMaxLength(200);
        builder.ComplexProperty(i => i.Recorded, AdjustmentMapping.Actor);
        builder.ComplexProperty(i => i.RecordedByNhsUser, AdjustmentMapping.NhsUser);
        builder.ComplexProperty(i => i.Removal, AdjustmentMapping.Removal);
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.HasIndex(i => new { i.RecordId, i.State, i.CreateTime });
    }
}
