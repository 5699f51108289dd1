using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MhaRights.Server.Hosting;

/// <summary>Binds the endpoints from <see cref="ServerOptions"/>, refusing unsafe combinations at start.</summary>
internal static class KestrelSetup
{
    public static void Configure(KestrelServerOptions kestrel, ServerOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Url))
        {
            var uri = ParseUrl(options.Url, "Server:Url", "http");
            var address = ResolveAddress(uri);
            if (!IPAddress.IsLoopback(address) && !options.AllowInsecureNonLoopback)
            {
                throw new InvalidOperationException(
                    $"Refusing to serve cleartext HTTP/2 on non-loopback address {uri.Host}: patient data would cross the network unencrypted. " +
                    "Configure Server:HttpsUrl with a certificate, or set Server:AllowInsecureNonLoopback=true if a TLS proxy terminates in front of this server.");
            }

            // h2c needs prior knowledge: HTTP/2 only, since ALPN negotiation requires TLS.
            kestrel.Listen(address, uri.Port, listen => listen.Protocols = HttpProtocols.Http2);
        }

        if (!string.IsNullOrWhiteSpace(options.HttpsUrl))
        {
            var uri = ParseUrl(options.HttpsUrl, "Server:HttpsUrl", "https");
            var certificate = LoadCertificate(options);
            kestrel.Listen(ResolveAddress(uri), uri.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
        }
    }

    private static Uri ParseUrl(string value, string setting, string scheme)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != scheme)
        {
            throw new InvalidOperationException($"{setting} must be an absolute {scheme}:// URL, not '{value}'.");
        }

        return uri;
    }

    private static IPAddress ResolveAddress(Uri uri) =>
        uri.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" => IPAddress.Any,
            _ when IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) => ip,
            _ => throw new InvalidOperationException($"Server address host must be an IP address or localhost, not '{uri.Host}'."),
        };

    private static X509Certificate2 LoadCertificate(ServerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            throw new InvalidOperationException("Server:HttpsUrl needs Server:CertificatePath (a PEM or PFX file).");
        }

        if (!File.Exists(options.CertificatePath))
        {
            throw new InvalidOperationException($"Certificate file '{options.CertificatePath}' does not exist.");
        }

        var extension = Path.GetExtension(options.CertificatePath).ToUpperInvariant();
        return extension is ".PFX" or ".P12"
            ? X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword)
            : X509Certificate2.CreateFromPemFile(options.CertificatePath, options.CertificateKeyPath);
    }
}
