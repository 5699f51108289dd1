using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using MhaRights.Server.Security;
using Microsoft.EntityFrameworkCore;
using Entity = MhaRights.Server.Security.ApiKey;

namespace MhaRights.Server.Api;

/// <summary>mharights.v1.ApiKeyService (admin only; see Security/AccessPolicy.cs).</summary>
public sealed class ApiKeyApi(MhaRightsDbContext db, UnitOfWork unitOfWork, ApiKeyStore store, ICallerContext caller, TimeProvider time)
    : ApiKeyService.ApiKeyServiceBase
{
    /// <summary>Keys must be rotated: at most two years.</summary>
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(731);

    internal const string SecretShownOnce =
        "This request_id was already answered. The secret is shown only once, in the first response, and is not stored; "
        + "if it was lost, revoke this key and create a new one.";

    public override Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var key = request.ApiKey ?? throw new ValidationFailedException("api_key", "is required");
        var now = time.GetUtcNow().UtcDateTime;
        var v = new RequestValidator();
        v.RequiredText("api_key.display_name", key.DisplayName, 200);
        if (v.Required("api_key.role", key.Role) && !Roles.All.Contains(key.Role))
        {
            v.Add("api_key.role", $"must be one of {string.Join(", ", Roles.All)}");
        }

        var expire = v.Timestamp("api_key.expire_time", key.ExpireTime, required: true);
        if (expire is not null && (expire <= now || expire > now + MaxLifetime))
        {
            v.Add("api_key.expire_time", "must be in the future and at most two years ahead");
        }

        var scope = ValidateScope(v, key);
        v.ThrowIfInvalid();
        string? secret = null;
        return unitOfWork.ExecuteAsync<CreateApiKeyResponse>(nameof(CreateApiKey), request.RequestId, request, ct =>
        {
            (var created, secret) = store.Create(key.DisplayName.Trim(), key.Role, expire!.Value, caller.Caller, scope);
            Func<CreateApiKeyResponse> respond = () => new CreateApiKeyResponse { ApiKey = ToProto(created, now), Secret = secret };
            return Task.FromResult(respond);
        }, WithoutSecret, context.CancellationToken);
    }

    /// <summary>
    /// The key's reach (docs/security.md "Organisation scope"). Admin keys must say trust_wide rather than have it
    /// forced: an administrator who meant to bind a key to sites learns that admin keys cannot be. A key is either
    /// trust-wide or bound to sites, never both, so its reach reads one way.
    /// </summary>
    private static CallerScope ValidateScope(RequestValidator v, Contracts.V1.ApiKey key)
    {
        if (key.Role == Roles.Admin && !key.TrustWide)
        {
            v.Add("api_key.trust_wide", "must be true for an admin key (administrators are not bound to sites)");
        }

        if (key.TrustWide && key.Sites.Count > 0)
        {
            v.Add("api_key.sites", "must be empty when trust_wide is true");
        }
        else if (!key.TrustWide && key.Sites.Count == 0 && key.Role != Roles.Admin)
        {
            v.Add("api_key.sites", "needs at least one ODS site code unless trust_wide is true");
        }

        if (key.Sites.Count > CallerScope.MaxSites)
        {
            v.Add("api_key.sites", $"must hold at most {CallerScope.MaxSites} site codes; use trust_wide for more");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < key.Sites.Count && i < CallerScope.MaxSites; i++)
        {
            var site = key.Sites[i];
            if (!CallerScope.IsSiteCode(site))
            {
                v.Add($"api_key.sites[{i}]", "must be an ODS organisation or site code: 3-6 uppercase letters or digits (e.g. RX4, RX4E2)");
            }
            else if (!seen.Add(site))
            {
                v.Add($"api_key.sites[{i}]", $"repeats {site}");
            }
        }

        // identifiable_access only changes what an auditor sees; other roles always see identifiers.
        return new CallerScope(key.TrustWide, seen.ToList(), key.MayActForNamedUser, key.Role == Roles.Auditor && key.IdentifiableAccess);
    }

    /// <summary>What the idempotency record keeps of CreateApiKey's response: never the secret (docs/security.md).</summary>
    private static CreateApiKeyResponse WithoutSecret(CreateApiKeyResponse response)
    {
        response.Secret = string.Empty;
        response.SecretNotice = SecretShownOnce;
        return response;
    }

    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var size = PageTokens.Size(request.PageSize);
        var after = PageTokens.DecodeTimeAndId(request.PageToken, "apiKeys");
        var query = db.ApiKeys.AsNoTracking();
        if (after is { } position)
        {
            query = query.Where(k => k.CreateTime > position.Time || (k.CreateTime == position.Time && string.Compare(k.Id, position.Id) > 0));
        }

        var page = await query.OrderBy(k => k.CreateTime).ThenBy(k => k.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var response = new ListApiKeysResponse();
        response.ApiKeys.AddRange(page.Take(size).Select(k => ToProto(k, now)));
        if (page.Count > size)
        {
            response.NextPageToken = PageTokens.EncodeTimeAndId("apiKeys", page[size - 1].CreateTime, page[size - 1].Id);
        }

        return response;
    }

    public override Task<Contracts.V1.ApiKey> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        var id = ParseName(request.Name);
        return unitOfWork.ExecuteAsync<Contracts.V1.ApiKey>(nameof(RevokeApiKey), request.RequestId, request, async ct =>
        {
            var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct) ?? throw new ResourceNotFoundException(ResourceNames.ApiKey(id));
            Etags.Check(ResourceNames.ApiKey(id), request.Etag, key.Version);
            store.Revoke(key);
            return () => ToProto(key, time.GetUtcNow().UtcDateTime);
        }, context.CancellationToken);
    }

    private static string ParseName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ValidationFailedException("name", "is required");
        }

        var id = name.StartsWith("apiKeys/", StringComparison.Ordinal) ? name["apiKeys/".Length..] : null;
        return Ids.IsValid(id) ? id! : throw new ValidationFailedException("name", "must have the form apiKeys/{api_key}");
    }

    private static Contracts.V1.ApiKey ToProto(Entity key, DateTime now) => new()
    {
        Name = ResourceNames.ApiKey(key.Id),
        DisplayName = key.DisplayName,
        Role = key.Role,
        ExpireTime = ProtoMapper.Ts(key.ExpireTime),
        State = ApiKeyStore.StateOf(key, now) switch
        {
            "Revoked" => Contracts.V1.ApiKey.Types.State.Revoked,
            "Expired" => Contracts.V1.ApiKey.Types.State.Expired,
            _ => Contracts.V1.ApiKey.Types.State.Active,
        },
        Prefix = key.Prefix,
        CreatedBy = new Actor { Principal = key.CreatedByPrincipal, Role = key.CreatedByRole },
        CreateTime = ProtoMapper.Ts(key.CreateTime),
        RevokeTime = ProtoMapper.Ts(key.RevokeTime),
        Etag = Etags.Format(key.Version),
        Sites = { CallerScope.Split(key.Sites) },
        TrustWide = key.TrustWide,
        MayActForNamedUser = key.MayActForNamedUser,
        IdentifiableAccess = key.IdentifiableAccess,
    };
}
