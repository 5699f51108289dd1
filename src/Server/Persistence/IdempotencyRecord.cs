namespace MhaRights.Server.Persistence;

/// <summary>
/// AIP-155: the first response to a (method, request_id) pair, stored in the same transaction as the change it
/// made. The composite primary key, not a read-then-insert check, is what makes a concurrent duplicate fail.
/// </summary>
public sealed class IdempotencyRecord
{
    public required string Method { get; set; }

    public required string RequestId { get; set; }

    /// <summary>Hex SHA-256 of the request bytes, to refuse a reused id with a different request.</summary>
    public required string RequestHash { get; set; }

    public required byte[] Response { get; set; }

    public DateTime CreateTime { get; set; }
}
