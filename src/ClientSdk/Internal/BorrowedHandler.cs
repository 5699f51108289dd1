namespace MhaRights.Client.Internal;

/// <summary>
/// Forwards to a handler the caller owns without disposing it, for places (the HTTP client factory) that dispose
/// the handlers they are given.
/// </summary>
internal sealed class BorrowedHandler(HttpMessageHandler inner) : HttpMessageHandler
{
    private readonly HttpMessageInvoker _invoker = new(inner, disposeHandler: false);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _invoker.Dispose();
        }

        base.Dispose(disposing);
    }
}
