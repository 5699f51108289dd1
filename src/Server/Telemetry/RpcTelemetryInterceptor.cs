using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace MhaRights.Server.Telemetry;

/// <summary>
/// Per-RPC duration histogram and rpc.* attributes on the ASP.NET Core request span (OpenTelemetry semantic
/// conventions for gRPC). Registered outermost, so the status code is the one the caller receives (after
/// ErrorMappingInterceptor). Only added when telemetry is enabled.
/// </summary>
public sealed class RpcTelemetryInterceptor(MhaRightsMetrics metrics, TimeProvider time) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var started = time.GetTimestamp();
        var status = StatusCode.Unknown;
        try
        {
            var response = await continuation(request, context);
            status = context.Status.StatusCode;
            return response;
        }
        catch (RpcException ex)
        {
            status = ex.StatusCode;
            throw;
        }
        finally
        {
            Record(context.Method, status, started);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var started = time.GetTimestamp();
        var status = StatusCode.Unknown;
        try
        {
            await continuation(request, responseStream, context);
            status = context.Status.StatusCode;
        }
        catch (RpcException ex)
        {
            status = ex.StatusCode;
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The subscriber went away: the normal end of a change stream.
            status = StatusCode.Cancelled;
            throw;
        }
        finally
        {
            Record(context.Method, status, started);
        }
    }

    private void Record(string fullMethod, StatusCode status, long started)
    {
        // "/mharights.v1.PatientService/CreatePatient" -> service and method.
        var slash = fullMethod.LastIndexOf('/');
        var service = slash > 1 ? fullMethod[1..slash] : fullMethod;
        var method = slash >= 0 ? fullMethod[(slash + 1)..] : fullMethod;
        var code = (int)status;
        if (Activity.Current is { } activity)
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", service);
            activity.SetTag("rpc.method", method);
            activity.SetTag("rpc.grpc.status_code", code);
        }

        if (metrics.RpcDuration.Enabled)
        {
            metrics.RpcDuration.Record(
                time.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("rpc.system", "grpc"),
                new KeyValuePair<string, object?>("rpc.service", service),
                new KeyValuePair<string, object?>("rpc.method", method),
                new KeyValuePair<string, object?>("rpc.grpc.status_code", code));
        }
    }
}
