namespace MhaRights.Server.Persistence;

/// <summary>
/// AIP-155: the first response to a (caller, method, request_id), stored in the same transaction as the change it
/// made. The composite primary key, not a read-then-insert check, is what makes a concurrent duplicate fail.
/// The caller is part of the key so one caller can never be answered with another caller's response: request_ids
/// are scoped to the caller that sent them. Records expire after <see cref="IdempotencyOptions.Retention"/>.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>The authenticated principal that sent the request (API key name or token subject).</summary>
    public required string Caller { get; set; }

    public required string Method { get; set; }

    public required string RequestId { get; set; }

    /// <summary>Hex SHA-256 of the request bytes, to refuse a reused id with a different request.</summary>
    public required string RequestHash { get; set; }

    /// <summary>The response as stored: secrets (CreateApiKey's) are removed before it is written.</summary>
    public required byte[] Response { get; set; }

    public DateTime CreateTime { get; set; }
}
