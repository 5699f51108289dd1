using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MhaRights.Client;
using MhaRights.Contracts.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Client.Tests.Samples;

/// <summary>
/// The code shown in src/ClientSdk/README.md. Each <c>#region snippet:NAME</c> must equal the README block marked
/// <c>&lt;!-- snippet: NAME --&gt;</c> (ReadmeSnippetTests checks), and ReadmeSnippetTests runs it against the server.
/// </summary>
public static class GettingStartedSample
{
    #region snippet:CreateClient
    public static MhaRightsClient CreateClient(string apiKey) =>
        // One client per server, shared by the whole application: it is thread-safe and holds one channel.
        new(new MhaRightsClientOptions
        {
            Address = new Uri("https://mharights.example-trust.nhs.uk"),
            Credential = MhaRightsCredential.FromApiKey(apiKey),
            DefaultDeadline = TimeSpan.FromSeconds(10), // per attempt; the server stops work when it passes
        });
    #endregion

    #region snippet:AddMhaRightsClient
    public static IServiceCollection AddMhaRights(this IServiceCollection services, string apiKey)
    {
        // Inject MhaRightsClient wherever it is needed; Grpc.Net.ClientFactory manages the HTTP handlers.
        services.AddMhaRightsClient(options =>
        {
            options.Address = new Uri("https://mharights.example-trust.nhs.uk");
            options.Credential = MhaRightsCredential.FromApiKey(apiKey);
        });
        return services;
    }
    #endregion

    #region snippet:AddMhaRightsClientFromConfiguration
    public static IServiceCollection AddMhaRightsFromConfiguration(this IServiceCollection services, IConfiguration configuration)
    {
        // appsettings.json: "MhaRights": { "Address": "https://mharights.example-trust.nhs.uk",
        //   "ApiKeyFile": "/run/secrets/mharights-api-key", "DefaultDeadline": "00:00:10", "Retry": { "MaxRetries": 5 } }
        // A reload (e.g. a rotated key) applies to clients resolved afterwards.
        services.AddMhaRightsClient(configuration.GetSection("MhaRights"));
        return services;
    }
    #endregion

    #region snippet:AdmitAndExplain
    /// <summary>A patient detained under s2 has their rights explained: the overloads take plain .NET values.</summary>
    public static async Task<RightsDuty> AdmitAndExplainAsync(MhaRightsClient client, string eprPatientId, DateTimeOffset admitted, DateTimeOffset explained, CancellationToken cancellationToken = default)
    {
        var patient = await client.Patients.FindPatientByLocalIdAsync(eprPatientId, cancellationToken)
            ?? await client.Patients.CreatePatientAsync(eprPatientId, dateOfBirth: new DateOnly(1990, 2, 28), cancellationToken: cancellationToken);
        var episode = await client.LegalStatus.StartEpisodeAsync(patient.Name, Provision.Section2, admitted, hospital: "RXM01", ward: "ASH", cancellationToken: cancellationToken);
        Console.WriteLine($"Detained until the end of {episode.Calendar.LastDay.ToDateOnly():d MMM yyyy}");

        await foreach (var duty in client.Rights.ListDutiesAsync(patient.Name, openOnly: true, cancellationToken))
        {
            if (duty.Kind == DutyKind.Section1321)
            {
                var recorded = await client.Rights.RecordExplanationAttemptAsync(
                    duty.Name, explained, "Jo Nurse", "Staff nurse", AttemptOutcome.Understood,
                    new ExplanationDetails { OralGiven = true, WrittenGiven = true, LeafletId = "DH-S2", Etag = duty.Etag },
                    cancellationToken);
                return recorded.Duty;
            }
        }

        throw new InvalidOperationException($"{patient.Name} has no open s132(1) duty.");
    }
    #endregion

    #region snippet:RecordExplanation
    /// <summary>Records that a nurse explained s132 rights to the patient with this EPR id.</summary>
    public static async Task<string?> RecordExplanationAsync(MhaRightsClient client, string eprPatientId, CancellationToken cancellationToken = default)
    {
        // Lists are IAsyncEnumerable<T>; the client follows page tokens (use AsPages() for page-level access).
        var patient = await client.Patients
            .ListPatientsAsync(new ListPatientsRequest { LocalId = eprPatientId }, cancellationToken)
            .FirstOrDefaultAsync(cancellationToken);
        if (patient is null)
        {
            return null;
        }

        // What staff need first: the open duties and the communication needs they must meet (interpreter, BSL...).
        var briefing = await client.Rights.GetRightsBriefingAsync(patient.Name, cancellationToken);
        var duty = briefing.OpenDuties.First(d => d.Kind == DutyKind.Section1321);
        var request = new RecordExplanationAttemptRequest
        {
            Parent = duty.Name,
            Etag = duty.Etag, // fail rather than overwrite if someone else changed the duty meanwhile
            Attempt = new ExplanationAttempt
            {
                AttemptTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                ExplainedBy = "Jo Nurse",
                ExplainedByRole = "Staff nurse",
                OralGiven = true,
                WrittenGiven = true,
                LeafletId = "DH-S2",
                Outcome = AttemptOutcome.Understood,
            },
        };
        foreach (var need in briefing.CommunicationNeeds)
        {
            request.Attempt.CommunicationNeeds.Add(new CommunicationNeedResponse { CategoryCode = need.CategoryCode, Met = true, Detail = need.Display });
        }

        try
        {
            // No request_id needed: the client generates one and reuses it on every retry, so a lost response
            // never records the explanation twice.
            var recorded = await client.Rights.RecordExplanationAttemptAsync(request, cancellationToken);
            return recorded.Attempt.Name;
        }
        catch (MhaRightsException ex) when (ex.Reason == MhaRightsErrorReasons.EtagMismatch)
        {
            // The duty changed since the briefing (ex.CurrentEtag is its etag now): show the user, do not guess.
            return null;
        }
        catch (MhaRightsException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            foreach (var violation in ex.FieldViolations)
            {
                Console.Error.WriteLine($"{violation.Field}: {violation.Description}");
            }

            throw;
        }
    }
    #endregion
}
