using Google.Protobuf;

namespace MhaRights.Client;

/// <summary>
/// A list result that fetches pages lazily (AIP-158 <c>page_token</c>) as it is enumerated. Enumerate it with
/// <c>await foreach</c> to get every item once, in the server's order, or call <see cref="AsPages"/> to work page by
/// page (for example to save the continuation token and resume later).
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// Nothing is sent until enumeration starts; each enumeration starts again from the first page (or the given
/// continuation token). Each page is one call with the client's retries and deadline.
/// </remarks>
public abstract class AsyncPageable<T> : IAsyncEnumerable<T>
{
    /// <summary>Initializes a new instance of the <see cref="AsyncPageable{T}"/> class, for derived types and mocking.</summary>
    protected AsyncPageable()
    {
    }

    /// <summary>Enumerates the result page by page.</summary>
    /// <param name="continuationToken">
    /// A <see cref="Page{T}.ContinuationToken"/> from an earlier page of the same list with the same request, to resume
    /// after it; <see langword="null"/> starts at the beginning (or at the request's own <c>page_token</c>).
    /// </param>
    /// <param name="pageSizeHint">
    /// The page size to ask for (the server uses 50 when 0, caps at 1000, and may return fewer); <see langword="null"/>
    /// uses the request's <c>page_size</c>.
    /// </param>
    /// <returns>The pages.</returns>
    public abstract IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null);

    /// <summary>Enumerates every item of every page.</summary>
    /// <param name="cancellationToken">Cancels the enumeration (together with the token given to the list method).</param>
    /// <returns>The enumerator.</returns>
    public virtual async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var page in AsPages().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Values)
            {
                yield return item;
            }
        }
    }

    /// <summary>Creates a pageable over fixed pages, for tests that mock the client.</summary>
    /// <param name="pages">The pages to return, in order.</param>
    /// <returns>The pageable.</returns>
    public static AsyncPageable<T> FromPages(IEnumerable<Page<T>> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        return new StaticPageable([.. pages]);
    }

    private sealed class StaticPageable(IReadOnlyList<Page<T>> pages) : AsyncPageable<T>
    {
        public override async IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
        {
            var start = 0;
            if (continuationToken is not null)
            {
                // Resume after the page that handed out this token, as a server would.
                start = -1;
                for (var i = 0; i < pages.Count && start < 0; i++)
                {
                    if (pages[i].ContinuationToken == continuationToken)
                    {
                        start = i + 1;
                    }
                }

                if (start < 0)
                {
                    throw new ArgumentException("The continuation token is not one of these pages'.", nameof(continuationToken));
                }
            }

            for (var i = start; i < pages.Count; i++)
            {
                await Task.Yield();
                yield return pages[i];
            }
        }
    }
}

/// <summary>One page of a list result.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class Page<T>
{
    private Page(IReadOnlyList<T> values, string? continuationToken, IMessage? rawResponse)
    {
        Values = values;
        ContinuationToken = continuationToken;
        RawResponse = rawResponse;
    }

    /// <summary>Gets the items on this page, in the server's order. A page may be empty even when more pages follow.</summary>
    public IReadOnlyList<T> Values { get; }

    /// <summary>
    /// Gets the token for the next page (the response's <c>next_page_token</c>), or <see langword="null"/> on the last
    /// page. Pass it to <see cref="AsyncPageable{T}.AsPages"/> to resume.
    /// </summary>
    public string? ContinuationToken { get; }

    /// <summary>
    /// Gets the whole List response, for fields other than the items (for example
    /// <c>ListAdjustmentCodesResponse.TableVersions</c>); <see langword="null"/> for pages built by <see cref="FromValues"/>.
    /// </summary>
    public IMessage? RawResponse { get; }

    /// <summary>Creates a page, for tests that mock the client (and for the client itself).</summary>
    /// <param name="values">The items.</param>
    /// <param name="continuationToken">The next page's token, or <see langword="null"/> (or empty) on the last page.</param>
    /// <param name="rawResponse">The List response the page came from, if any.</param>
    /// <returns>The page.</returns>
    public static Page<T> FromValues(IReadOnlyList<T> values, string? continuationToken, IMessage? rawResponse = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new Page<T>(values, string.IsNullOrEmpty(continuationToken) ? null : continuationToken, rawResponse);
    }
}
