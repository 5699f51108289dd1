using System.Text.Json.Nodes;

namespace MhaRights.AdminCli.Tests.Infrastructure;

internal static class Json
{
    public static string Str(this JsonNode? node, string property) => node?[property]?.GetValue<string>() ?? string.Empty;

    /// <summary>Items of a worklist result that belong to one patient (other tests share the server).</summary>
    public static List<JsonNode> ForPatient(this JsonArray items, string localId) =>
        [.. items.Where(i => i.Str("patientLocalId") == localId).Select(i => i!)];
}
