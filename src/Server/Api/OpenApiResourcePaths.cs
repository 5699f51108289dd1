using System.Text;
using System.Text.RegularExpressions;
using Google.Api;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace MhaRights.Server.Api;

/// <summary>
/// Spells resource-name variables out in the OpenAPI paths. The gRPC Swagger provider collapses
/// <c>{name=patients/*}</c> and <c>{name=patients/*/duties/*}</c> to the same <c>v1/{name}</c>, which OpenAPI
/// refuses as a conflict; AIP-127 routes are only unique once expanded (<c>v1/patients/{patient}/duties/{duty}</c>).
/// </summary>
internal sealed partial class OpenApiResourcePaths : IApiDescriptionProvider
{
    // After the gRPC provider has added its descriptions (OnProvidersExecuted runs in descending Order).
    public int Order => -2000;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var description in context.Results)
        {
            var rule = description.ActionDescriptor.EndpointMetadata.OfType<GrpcJsonTranscodingMetadata>().FirstOrDefault()?.HttpRule;
            var pattern = rule is null ? null : PatternOf(rule);
            if (pattern is null)
            {
                continue;
            }

            var placeholders = new List<(string Variable, string Placeholder)>();
            description.RelativePath = Variable().Replace(pattern.TrimStart('/'), m => Expand(m, placeholders));
            foreach (var variable in placeholders.Select(p => p.Variable).Distinct(StringComparer.Ordinal))
            {
                var replaced = description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Path && p.Name == variable);
                if (replaced is not null)
                {
                    description.ParameterDescriptions.Remove(replaced);
                }
            }

            foreach (var (_, placeholder) in placeholders.Where(p => p.Placeholder != p.Variable))
            {
                description.ParameterDescriptions.Add(new ApiParameterDescription
                {
                    Name = placeholder,
                    Source = BindingSource.Path,
                    Type = typeof(string),
                    IsRequired = true,
                });
            }
        }
    }

    internal static string? PatternOf(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => rule.Get,
        HttpRule.PatternOneofCase.Post => rule.Post,
        HttpRule.PatternOneofCase.Put => rule.Put,
        HttpRule.PatternOneofCase.Patch => rule.Patch,
        HttpRule.PatternOneofCase.Delete => rule.Delete,
        HttpRule.PatternOneofCase.Custom => rule.Custom.Path,
        _ => null,
    };

    /// <summary><c>{name=patients/*/duties/*}</c> becomes <c>patients/{patient}/duties/{duty}</c>.</summary>
    private static string Expand(Match match, List<(string Variable, string Placeholder)> placeholders)
    {
        var variable = match.Groups["var"].Value;
        if (!match.Groups["pattern"].Success)
        {
            placeholders.Add((variable, variable));
            return match.Value;
        }

        var segments = match.Groups["pattern"].Value.Split('/');
        var path = new StringBuilder();
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment is "*" or "**")
            {
                var placeholder = i > 0 ? Singular(segments[i - 1]) : variable.Replace('.', '_');
                placeholders.Add((variable, placeholder));
                segment = "{" + placeholder + "}";
            }

            path.Append(i == 0 ? string.Empty : "/").Append(segment);
        }

        return path.ToString();
    }

    private static string Singular(string collection) =>
        collection.EndsWith("ies", StringComparison.Ordinal) ? collection[..^3] + "y"
        : collection.EndsWith('s') ? collection[..^1]
        : collection;

    [GeneratedRegex(@"\{(?<var>[\w.]+)(?:=(?<pattern>[^}]*))?\}")]
    private static partial Regex Variable();
}
