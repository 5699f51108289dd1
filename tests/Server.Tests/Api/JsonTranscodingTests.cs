using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Api;

/// <summary>
/// The HTTP/JSON face of the API (issue 17) as an integration engine sees it: a plain HttpClient, JSON bodies,
/// the same API key header, google.rpc.Status JSON errors and an OpenAPI document.
/// </summary>
public sealed class JsonTranscodingTests
{
    [Fact]
    public async Task CreateGetAndCustomMethod_PlainJson_SameResourceAsGrpc()
    {
        await using var app = await TestApp.StartAsync();
        using var http = Client(app, Roles.MhaOffice);

        using var created = await SendAsync(http, HttpMethod.Post, "/v1/patients?requestId=" + Guid.NewGuid(),
            """{"localId":"RIO-JSON-1","givenName":"Alex","familyName":"Json","hospital":"RXM01","ward":"ASH"}""");
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var name = created.Json.GetProperty("name").GetString()!;
        Assert.StartsWith("patients/", name, StringComparison.Ordinal);

        using var fetched = await SendAsync(http, HttpMethod.Get, "/v1/" + name);
        Assert.Equal(HttpStatusCode.OK, fetched.Status);
        Assert.Equal("RIO-JSON-1", fetched.Json.GetProperty("localId").GetString());
        Assert.False(string.IsNullOrEmpty(fetched.Json.GetProperty("etag").GetString()));

        // Custom method: POST /v1/{name=patients/*}:setNearestRelative with body "*".
        using var withRelative = await SendAsync(http, HttpMethod.Post, $"/v1/{name}:setNearestRelative",
            """{"nearestRelative":{"status":"IDENTIFIED","fullName":"Sam Json","relationship":"mother","address":"1 High Street"}}""");
        Assert.Equal(HttpStatusCode.OK, withRelative.Status);
        Assert.Equal("Sam Json", withRelative.Json.GetProperty("nearestRelative").GetProperty("fullName").GetString());

        // The gRPC API sees the same resource.
        var viaGrpc = await app.Patients.GetPatientAsync(new GetPatientRequest { Name = name });
        Assert.Equal("Sam Json", viaGrpc.NearestRelative.FullName);
    }

    [Fact]
    public async Task EpisodeAndRecordAttempt_JsonRoutes_DutyMovesOn()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        using var http = Client(app, Roles.MhaOffice);

        using var episode = await SendAsync(http, HttpMethod.Post, $"/v1/{patient.Name}/episodes",
            $$"""{"provision":"PROVISION_SECTION_2","hospital":"RXM01","ward":"ASH","startTime":"{{app.Clock.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}}"}""");
        Assert.Equal(HttpStatusCode.OK, episode.Status);

        using var duties = await SendAsync(http, HttpMethod.Get, $"/v1/{patient.Name}/duties?openOnly=true");
        Assert.Equal(HttpStatusCode.OK, duties.Status);
        var duty = duties.Json.GetProperty("duties").EnumerateArray().First(d => d.GetProperty("kind").GetString() == "DUTY_KIND_SECTION_132_1");
        var dutyName = duty.GetProperty("name").GetString()!;

        var attempt = JsonFormatter.Default.Format(Scenario.Attempt(app, AttemptOutcome.Understood));
        using var recorded = await SendAsync(http, HttpMethod.Post, $"/v1/{dutyName}:recordAttempt", $$"""{"attempt":{{attempt}}}""");
        Assert.Equal(HttpStatusCode.OK, recorded.Status);

        var after = await app.Rights.GetDutyAsync(new GetDutyRequest { Name = dutyName });
        Assert.Equal(RightsDuty.Types.State.Understood, after.State);

        using var status = await SendAsync(http, HttpMethod.Get, $"/v1/{patient.Name}/rightsStatus");
        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.Equal(patient.Name, status.Json.GetProperty("patient").GetString());
    }

    [Fact]
    public async Task ListPatients_PageSizeAndToken_WalksEveryPatientOnce()
    {
        await using var app = await TestApp.StartAsync();
        var expected = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            expected.Add((await app.CreatePatientAsync()).Name);
        }

        using var http = Client(app, Roles.Auditor);
        var seen = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            using var page = await SendAsync(http, HttpMethod.Get, $"/v1/patients?pageSize=2&pageToken={Uri.EscapeDataString(token)}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            seen.AddRange(page.Json.GetProperty("patients").EnumerateArray().Select(p => p.GetProperty("name").GetString()!));
            token = page.Json.TryGetProperty("nextPageToken", out var next) ? next.GetString() ?? string.Empty : string.Empty;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(3, pages);
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CreatePatient_BadNhsNumber_400WithStatusJsonNamingTheFieldAndNothingWritten()
    {
        await using var app = await TestApp.StartAsync();
        using var http = Client(app, Roles.MhaOffice);

        using var response = await SendAsync(http, HttpMethod.Post, "/v1/patients", """{"localId":"RIO-1","nhsNumber":"4857773456"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal((int)StatusCode.InvalidArgument, response.Json.GetProperty("code").GetInt32());
        var details = response.Json.GetProperty("details").EnumerateArray().ToList();
        var info = Assert.Single(details, d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.ErrorInfo");
        Assert.Equal("INVALID_ARGUMENT", info.GetProperty("reason").GetString());
        Assert.Equal("mharights.nhs.uk", info.GetProperty("domain").GetString());
        var badRequest = Assert.Single(details, d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.BadRequest");
        var violation = Assert.Single(badRequest.GetProperty("fieldViolations").EnumerateArray());
        Assert.Equal("patient.nhs_number", violation.GetProperty("field").GetString());
        Assert.Equal(0, await app.CountAsync("Patients"));
    }

    [Fact]
    public async Task GetPatient_Unknown_404WithResourceNotFoundReason()
    {
        await using var app = await TestApp.StartAsync();
        using var http = Client(app, Roles.MhaOffice);

        using var response = await SendAsync(http, HttpMethod.Get, "/v1/patients/does-not-exist");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        var info = response.Json.GetProperty("details").EnumerateArray().Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.ErrorInfo");
        Assert.Equal("RESOURCE_NOT_FOUND", info.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Credentials_NoneThenWrongRole_401Then403()
    {
        await using var app = await TestApp.StartAsync();

        using var anonymous = Client(app, role: null);
        using var unauthenticated = await SendAsync(anonymous, HttpMethod.Get, "/v1/patients");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.Status);
        Assert.Equal((int)StatusCode.Unauthenticated, unauthenticated.Json.GetProperty("code").GetInt32());

        // Auditors read patients but may not create them (Security/AccessPolicy.cs).
        using var auditor = Client(app, Roles.Auditor);
        using var denied = await SendAsync(auditor, HttpMethod.Post, "/v1/patients", """{"localId":"RIO-2"}""");
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Equal(0, await app.CountAsync("Patients"));
        using var allowed = await SendAsync(auditor, HttpMethod.Get, "/v1/patients");
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
    }

    [Fact]
    public async Task OpenApiDocument_Served_ListsTheAnnotatedPaths()
    {
        await using var app = await TestApp.StartAsync();
        using var http = Client(app, role: null);

        using var document = await SendAsync(http, HttpMethod.Get, "/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, document.Status);
        var paths = document.Json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("/v1/patients", paths);
        Assert.Contains("/v1/patients/{patient}", paths);
        Assert.Contains("/v1/patients/{patient}/duties/{duty}:recordAttempt", paths);
        Assert.True(paths.Count >= 50, $"only {paths.Count} paths");
        Assert.True(document.Json.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("ApiKey", out _));
    }

    private static HttpClient Client(TestApp app, string? role)
    {
        var http = new HttpClient(app.CreateHandler()) { BaseAddress = new Uri("http://localhost") };
        if (role is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", TestApp.KeyFor(role));
        }

        return http;
    }

    private static async Task<JsonResult> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new JsonResult(response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text));
    }

    private sealed record JsonResult(HttpStatusCode Status, JsonDocument Document) : IDisposable
    {
        public JsonElement Json => Document.RootElement;

        public void Dispose() => Document.Dispose();
    }
}
