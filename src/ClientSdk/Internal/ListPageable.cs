using System.Runtime.CompilerServices;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MhaRights.Client.Internal;

/// <summary>
/// An AIP-158 List method as an <see cref="AsyncPageable{T}"/>: each page is one read through the pipeline (with
/// retries), the request's page_token set to the previous page's next_page_token until that is empty.
/// </summary>
internal sealed class ListPageable<TRequest, TResponse, TItem>(
    CallPipeline pipeline,
    string operation,
    TRequest request,
    UnaryCall<TRequest, TResponse> call,
    Func<TResponse, IReadOnlyList<TItem>> items,
    Func<TResponse, string> nextPageToken,
    CancellationToken methodToken) : AsyncPageable<TItem>
    where TRequest : class, IMessage<TRequest>
    where TResponse : IMessage
{
    private static readonly FieldDescriptor PageTokenField = FindField("page_token", FieldType.String);
    private static readonly FieldDescriptor PageSizeField = FindField("page_size", FieldType.Int32);

    public override IAsyncEnumerable<Page<TItem>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        if (pageSizeHint is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSizeHint), pageSizeHint, "The page size must not be negative.");
        }

        return PagesAsync(continuationToken, pageSizeHint);
    }

    private async IAsyncEnumerable<Page<TItem>> PagesAsync(string? continuationToken, int? pageSizeHint, [EnumeratorCancellation] CancellationToken enumerationToken = default)
    {
        using var linked = methodToken.CanBeCanceled && enumerationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(methodToken, enumerationToken)
            : null;
        var cancellationToken = linked?.Token ?? (enumerationToken.CanBeCanceled ? enumerationToken : methodToken);

        var token = continuationToken ?? (string)PageTokenField.Accessor.GetValue(request);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var pageRequest = request.Clone();
            PageTokenField.Accessor.SetValue(pageRequest, token ?? string.Empty);
            if (pageSizeHint is { } size)
            {
                PageSizeField.Accessor.SetValue(pageRequest, size);
            }

            var response = await pipeline.ReadAsync(operation, pageRequest, call, cancellationToken).ConfigureAwait(false);
            var next = nextPageToken(response);
            yield return Page<TItem>.FromValues(items(response), next, response);
            if (string.IsNullOrEmpty(next))
            {
                yield break;
            }

            // A server that hands back a token it already gave would make this loop forever.
            if (!seen.Add(next))
            {
                throw new InvalidOperationException($"{operation} returned the page token '{next}' twice; stopping instead of looping.");
            }

            token = next;
        }
    }

    private static FieldDescriptor FindField(string name, FieldType type)
    {
        var descriptor = ((IMessage)Activator.CreateInstance<TRequest>()).Descriptor;
        var field = descriptor.FindFieldByName(name);
        return field is not null && field.FieldType == type && !field.IsRepeated
            ? field
            : throw new InvalidOperationException($"{descriptor.FullName} has no {name} field; it is not an AIP-158 List request.");
    }
}
