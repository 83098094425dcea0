using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RedlockAspects.Testing.Servers;

/// <summary>
/// A throw-away certificate authority and a server certificate it signed (for 127.0.0.1 and localhost), written as PEM
/// files for <c>redis-server --tls-*</c>. Made in process, so no <c>openssl</c> is needed.
/// </summary>
internal static class TestCertificates
{
    public const string CaFile = "ca.crt";

    public const string CertFile = "server.crt";

    public const string KeyFile = "server.key";

    /// <summary>Writes <c>ca.crt</c>, <c>server.crt</c> and <c>server.key</c> into <paramref name="directory"/> and returns the authority.</summary>
    public static X509Certificate2 Write(string directory)
    {
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(7);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=RedlockAspects.Testing CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, false));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));

        File.WriteAllText(Path.Combine(directory, CaFile), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, CertFile), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, KeyFile), serverKey.ExportPkcs8PrivateKeyPem());

        // The public part only: clients trust it, and nothing else needs the authority's key.
        return X509CertificateLoader.LoadCertificate(ca.RawData);
    }
}
