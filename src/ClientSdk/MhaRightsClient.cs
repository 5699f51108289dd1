using Grpc.Core;
using Grpc.Net.Client;
using MhaRights.Client.Internal;
using Microsoft.Extensions.Logging;

namespace MhaRights.Client;

/// <summary>
/// The client for the MhaRights service (Mental Health Act s132 rights explanations and reasonable adjustments).
/// Create one per server address and share it: it is immutable and thread-safe, and all its operations share one
/// gRPC channel.
/// </summary>
/// <remarks>
/// <para>The operations are grouped by resource:</para>
/// <list type="bullet">
/// <item><see cref="Patients"/>: patients and their nearest relatives.</item>
/// <item><see cref="LegalStatus"/>: legal status episodes (detention, CTO, recall, renewal, discharge...).</item>
/// <item><see cref="Rights"/>: statutory duties, explanation attempts, notices, rights status and briefing.</item>
/// <item><see cref="Worklists"/>: MHA-office worklists of duties needing action.</item>
/// <item><see cref="Adjustments"/>: reasonable adjustment flags, their items, reviews, code tables and FHIR export.</item>
/// <item><see cref="Reports"/>: compliance reports.</item>
/// <item><see cref="Audit"/>: the audit trail and its hash-chain verification.</item>
/// <item><see cref="ApiKeys"/>: API key administration.</item>
/// <item><see cref="Workflows"/>: the state machines behind the API, as graphs.</item>
/// <item><see cref="Import"/>: bulk import of existing detentions and rights history.</item>
/// <item><see cref="Changes"/>: the change stream (overdue duties, re-attempts due...), resumed automatically.</item>
/// </list>
/// <para>
/// Every call carries the configured credential and deadline; transient failures are retried (writes with the same
/// <c>request_id</c>, so nothing is recorded twice); failures throw <see cref="MhaRightsException"/>.
/// Calls are traced as activities of the <see cref="System.Diagnostics.ActivitySource"/> named <c>MhaRights.Client</c>.
/// </para>
/// </remarks>
public class MhaRightsClient : IDisposable
{
    private readonly GrpcChannel? _ownedChannel;

    /// <summary>Initializes a new instance of the <see cref="MhaRightsClient"/> class for mocking; its resource clients are <see langword="null"/> unless overridden.</summary>
    protected MhaRightsClient()
    {
        Patients = null!;
        LegalStatus = null!;
        Rights = null!;
        Worklists = null!;
        Adjustments = null!;
        Reports = null!;
        Audit = null!;
        ApiKeys = null!;
        Workflows = null!;
        Import = null!;
        Changes = null!;
    }

    /// <summary>Initializes a new instance of the <see cref="MhaRightsClient"/> class for anonymous calls with default settings.</summary>
    /// <param name="address">The server address, for example <c>https://mharights.example-trust.nhs.uk</c>.</param>
    public MhaRightsClient(Uri address)
        : this(new MhaRightsClientOptions { Address = address })
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MhaRightsClient"/> class with a credential and default settings.</summary>
    /// <param name="address">The server address, for example <c>https://mharights.example-trust.nhs.uk</c>.</param>
    /// <param name="credential">The API key or bearer token credential sent with every call.</param>
    public MhaRightsClient(Uri address, MhaRightsCredential credential)
        : this(new MhaRightsClientOptions { Address = address, Credential = credential ?? throw new ArgumentNullException(nameof(credential)) })
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MhaRightsClient"/> class from options.</summary>
    /// <param name="options">The settings; <see cref="MhaRightsClientOptions.Address"/> is required. They are copied.</param>
    /// <exception cref="ArgumentException">The options are invalid (for example no address, or credentials over plain http to another host).</exception>
    public MhaRightsClient(MhaRightsClientOptions options)
    {
        var settings = ClientSettings.From(options, requireAddress: true);
        var ownsHandler = options.HttpHandler is null;
        _ownedChannel = GrpcChannel.ForAddress(settings.Address!, new GrpcChannelOptions
        {
            HttpHandler = options.HttpHandler ?? CreateDefaultHandler(),
            DisposeHttpClient = ownsHandler,
            LoggerFactory = options.LoggerFactory,
            MaxReceiveMessageSize = settings.MaxReceiveMessageSize,
        });
        (Patients, LegalStatus, Rights, Worklists, Adjustments, Reports, Audit, ApiKeys, Workflows, Import, Changes) =
            CreateResourceClients(new CallPipeline(settings, options.LoggerFactory), _ownedChannel.CreateCallInvoker());
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="MhaRightsClient"/> class over a caller-managed
    /// <see cref="CallInvoker"/> (for example from a channel the host owns, or with interceptors). The
    /// <see cref="Microsoft.Extensions.DependencyInjection.AddMhaRightsClientExtensions.AddMhaRightsClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{MhaRightsClientOptions})"/>
    /// registration uses this constructor.
    /// </summary>
    /// <param name="callInvoker">Carries the calls; the caller keeps ownership of its channel.</param>
    /// <param name="options">
    /// The settings (copied); <see cref="MhaRightsClientOptions.Address"/> is optional and only checked against the
    /// credential, and <see cref="MhaRightsClientOptions.HttpHandler"/> and
    /// <see cref="MhaRightsClientOptions.MaxReceiveMessageSize"/> are ignored (they belong to the channel).
    /// </param>
    public MhaRightsClient(CallInvoker callInvoker, MhaRightsClientOptions options)
        : this(callInvoker, options, fallbackLoggerFactory: null)
    {
    }

    /// <summary>Used by dependency injection, which supplies the container's logger factory when the options name none.</summary>
    internal MhaRightsClient(CallInvoker callInvoker, MhaRightsClientOptions options, ILoggerFactory? fallbackLoggerFactory)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        var settings = ClientSettings.From(options, requireAddress: false);
        (Patients, LegalStatus, Rights, Worklists, Adjustments, Reports, Audit, ApiKeys, Workflows, Import, Changes) =
            CreateResourceClients(new CallPipeline(settings, options.LoggerFactory ?? fallbackLoggerFactory), callInvoker);
    }

    /// <summary>Gets the operations on patients and their nearest relatives (PatientService).</summary>
    public virtual PatientsClient Patients { get; }

    /// <summary>Gets the operations on legal status episodes (LegalStatusService).</summary>
    public virtual LegalStatusClient LegalStatus { get; }

    /// <summary>Gets the operations on statutory duties, explanation attempts and notices (RightsService).</summary>
    public virtual RightsClient Rights { get; }

    /// <summary>Gets the MHA-office worklists (RightsService.ListWorklistItems).</summary>
    public virtual WorklistsClient Worklists { get; }

    /// <summary>Gets the operations on reasonable adjustment records and items (AdjustmentService).</summary>
    public virtual AdjustmentsClient Adjustments { get; }

    /// <summary>Gets the compliance reports (ReportService).</summary>
    public virtual ReportsClient Reports { get; }

    /// <summary>Gets the audit trail (AuditService).</summary>
    public virtual AuditClient Audit { get; }

    /// <summary>Gets API key administration (ApiKeyService).</summary>
    public virtual ApiKeysClient ApiKeys { get; }

    /// <summary>Gets the workflow graphs (WorkflowService).</summary>
    public virtual WorkflowsClient Workflows { get; }

    /// <summary>Gets the bulk import (ImportService).</summary>
    public virtual ImportClient Import { get; }

    /// <summary>Gets the change stream (ChangeService).</summary>
    public virtual ChangesClient Changes { get; }

    /// <summary>Releases the gRPC channel the client created (not a caller-supplied handler or call invoker).</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the channel the client created.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownedChannel?.Dispose();
        }
    }

    private static SocketsHttpHandler CreateDefaultHandler() => new()
    {
        // Settings recommended for long-lived gRPC clients: keep connections, detect dead ones, and open more
        // HTTP/2 connections when the ~100-stream limit of one is reached.
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        KeepAlivePingDelay = TimeSpan.FromSeconds(60),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        EnableMultipleHttp2Connections = true,
    };

    private static (PatientsClient, LegalStatusClient, RightsClient, WorklistsClient, AdjustmentsClient, ReportsClient, AuditClient, ApiKeysClient, WorkflowsClient, ImportClient, ChangesClient)
        CreateResourceClients(CallPipeline pipeline, CallInvoker invoker) =>
        (new PatientsClient(pipeline, invoker),
         new LegalStatusClient(pipeline, invoker),
         new RightsClient(pipeline, invoker),
         new WorklistsClient(pipeline, invoker),
         new AdjustmentsClient(pipeline, invoker),
         new ReportsClient(pipeline, invoker),
         new AuditClient(pipeline, invoker),
         new ApiKeysClient(pipeline, invoker),
         new WorkflowsClient(pipeline, invoker),
         new ImportClient(pipeline, invoker),
         new ChangesClient(pipeline, invoker));
}
