namespace MhaRights.Server.Hosting;

/// <summary>Configuration section "Server": where and how the gRPC endpoint listens.</summary>
public sealed class ServerOptions
{
    public const string SectionName = "Server";

    /// <summary>Cleartext HTTP/2 (h2c) address. Default http://127.0.0.1:5000. Empty disables it.</summary>
    public string? Url { get; set; } = "http://127.0.0.1:5000";

    /// <summary>Allow cleartext on a non-loopback address. Off: patient data must not cross a network unencrypted.</summary>
    public bool AllowInsecureNonLoopback { get; set; }

    /// <summary>HTTPS endpoint for deployments, e.g. https://0.0.0.0:5001. Needs a certificate.</summary>
    public string? HttpsUrl { get; set; }

    /// <summary>Certificate file: PEM (with <see cref="CertificateKeyPath"/>) or PFX (with <see cref="CertificatePassword"/>).</summary>
    public string? CertificatePath { get; set; }

    public string? CertificateKeyPath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Serve gRPC server reflection (grpcurl, grpcui). Default on.</summary>
    public bool EnableReflection { get; set; } = true;

    /// <summary>Maximum request message size in bytes. Default 4 MB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;
}
