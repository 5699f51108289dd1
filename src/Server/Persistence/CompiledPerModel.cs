using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MhaRights.Server.Persistence;

/// <summary>
/// A compiled query (or anything else built from the EF model, such as the SQLite hot reads' statements), built once
/// per EF model: a compiled query refuses any model but the one it was compiled against, and one process may hold two
/// (a tool or a test host opening SQLite and PostgreSQL databases side by side).
/// </summary>
internal sealed class CompiledPerModel<TQuery>
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];
    private readonly Func<DbContext, TQuery> _build;

    public CompiledPerModel(Func<TQuery> compile) => _build = _ => compile();

    /// <summary>Built from the first context of each model (its model, provider and mappings).</summary>
    public CompiledPerModel(Func<DbContext, TQuery> build) => _build = build;

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => _build(db));
}
