using Grpc.Core;
using MhaRights.Client.Internal;
using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// Patients and their nearest relatives (mharights.v1.PatientService). EPR systems create a patient before
/// recording legal status. Get it from <see cref="MhaRightsClient.Patients"/>.
/// </summary>
public class PatientsClient
{
    private readonly CallPipeline _pipeline;
    private readonly PatientService.PatientServiceClient _grpc;

    /// <summary>Initializes a new instance of the <see cref="PatientsClient"/> class for mocking.</summary>
    protected PatientsClient()
    {
        _pipeline = null!;
        _grpc = null!;
    }

    internal PatientsClient(CallPipeline pipeline, CallInvoker invoker)
    {
        _pipeline = pipeline;
        _grpc = new PatientService.PatientServiceClient(invoker);
    }

    /// <summary>
    /// Creates a patient. Fails with <c>INVALID_ARGUMENT</c> on a bad NHS number, local id or code, and
    /// <c>ALREADY_EXISTS</c> when the local id or NHS number is already registered.
    /// </summary>
    /// <param name="request">The patient; <c>request_id</c> is generated when empty, so a retry never creates a second patient.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created patient, with its <c>name</c> and <c>etag</c>.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<Patient> CreatePatientAsync(CreatePatientRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("PatientService.CreatePatient", request, _grpc.CreatePatientAsync, cancellationToken);

    /// <summary>
    /// Creates a patient from the EPR's own identifiers. Fails with <c>INVALID_ARGUMENT</c> on a bad NHS number or
    /// local id, and <c>ALREADY_EXISTS</c> when the local id or NHS number is already registered. A retry never
    /// creates a second patient.
    /// </summary>
    /// <param name="localId">The trust's local patient identifier (EPR id), 1-64 characters of <c>[A-Za-z0-9-_.]</c>.</param>
    /// <param name="nhsNumber">The 10-digit NHS number (spaces ignored), or <see langword="null"/> when the patient has none.</param>
    /// <param name="givenName">Given name(s) for display.</param>
    /// <param name="familyName">Family name for display.</param>
    /// <param name="dateOfBirth">Date of birth (needed for the under-18 tribunal reference rule, s68(6)).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created patient, with its <c>name</c> and <c>etag</c>.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    /// <remarks>Other fields (sex, language, ward...) are on <see cref="CreatePatientAsync(CreatePatientRequest, CancellationToken)"/>.</remarks>
    public virtual Task<Patient> CreatePatientAsync(
        string localId,
        string? nhsNumber = null,
        string? givenName = null,
        string? familyName = null,
        DateOnly? dateOfBirth = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(localId);
        var patient = new Patient
        {
            LocalId = localId,
            NhsNumber = nhsNumber ?? string.Empty,
            GivenName = givenName ?? string.Empty,
            FamilyName = familyName ?? string.Empty,
            DateOfBirth = dateOfBirth?.ToDate(),
        };
        return CreatePatientAsync(new CreatePatientRequest { Patient = patient }, cancellationToken);
    }

    /// <summary>Finds the patient with this EPR id.</summary>
    /// <param name="localId">The trust's local patient identifier (EPR id).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The patient, or <see langword="null"/> when no patient has that local id.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual async Task<Patient?> FindPatientByLocalIdAsync(string localId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(localId);
        await foreach (var patient in ListPatientsAsync(new ListPatientsRequest { LocalId = localId, PageSize = 1 }, cancellationToken).ConfigureAwait(false))
        {
            return patient;
        }

        return null;
    }

    /// <summary>Returns one patient; <c>NOT_FOUND</c> when absent.</summary>
    /// <param name="request">The request naming the patient.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The patient.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<Patient> GetPatientAsync(GetPatientRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("PatientService.GetPatient", request, _grpc.GetPatientAsync, cancellationToken);

    /// <summary>Returns one patient; <c>NOT_FOUND</c> when absent.</summary>
    /// <param name="name">The patient's resource name, <c>patients/{patient}</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The patient.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<Patient> GetPatientAsync(string name, CancellationToken cancellationToken = default) =>
        GetPatientAsync(new GetPatientRequest { Name = name ?? throw new ArgumentNullException(nameof(name)) }, cancellationToken);

    /// <summary>Lists patients ordered by local id, optionally filtered by NHS number or local id.</summary>
    /// <param name="request">Filters and page size; the page token is managed for you.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The patients, fetched page by page as they are enumerated.</returns>
    public virtual AsyncPageable<Patient> ListPatientsAsync(ListPatientsRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.List("PatientService.ListPatients", request, _grpc.ListPatientsAsync, r => r.Patients, r => r.NextPageToken, cancellationToken);

    /// <summary>
    /// Updates the demographic and location fields named in <c>update_mask</c> (empty = every populated updatable
    /// field). Send the patient's <c>etag</c>: a stale one fails with <c>ABORTED</c> and
    /// <see cref="MhaRightsException.CurrentEtag"/>.
    /// </summary>
    /// <param name="request">The patient with <c>name</c> and new values, the mask and the expected etag.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated patient.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<Patient> UpdatePatientAsync(UpdatePatientRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("PatientService.UpdatePatient", request, _grpc.UpdatePatientAsync, cancellationToken);

    /// <summary>
    /// Records who appears to be the nearest relative (or that none is identified, or that it is unknown). Changing it
    /// re-evaluates open nearest-relative copy duties.
    /// </summary>
    /// <param name="request">The patient name, the nearest relative and the expected etag.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated patient.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<Patient> SetNearestRelativeAsync(SetNearestRelativeRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("PatientService.SetNearestRelative", request, _grpc.SetNearestRelativeAsync, cancellationToken);
}
