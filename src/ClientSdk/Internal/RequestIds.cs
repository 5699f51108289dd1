using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MhaRights.Client.Internal;

/// <summary>AIP-155 request ids for writes.</summary>
internal static class RequestIds
{
    /// <summary>
    /// Returns the request to send and its request_id. When the caller left request_id empty, a UUID is set on a
    /// copy: the caller's object is not changed, so reusing it for another logical call gets another id (reusing the
    /// id would return the first call's result instead of recording a second one).
    /// </summary>
    public static (TRequest Request, string RequestId) Ensure<TRequest>(TRequest request)
        where TRequest : class, IMessage<TRequest>
    {
        var field = Field<TRequest>.RequestId
            ?? throw new InvalidOperationException($"{request.Descriptor.FullName} has no request_id field, so it cannot be sent as a retryable write.");
        var current = (string)field.Accessor.GetValue(request);
        if (!string.IsNullOrEmpty(current))
        {
            return (request, current);
        }

        var stamped = request.Clone();
        var id = Guid.NewGuid().ToString();
        field.Accessor.SetValue(stamped, id);
        return (stamped, id);
    }

    /// <summary>Looked up once per request type.</summary>
    private static class Field<TRequest>
        where TRequest : class, IMessage<TRequest>
    {
        public static readonly FieldDescriptor? RequestId = Find();

        private static FieldDescriptor? Find()
        {
            var descriptor = ((IMessage)Activator.CreateInstance<TRequest>()).Descriptor;
            var field = descriptor.FindFieldByName("request_id");
            return field is { FieldType: FieldType.String, IsRepeated: false } ? field : null;
        }
    }
}
