package io.courier.gateway.net;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A certificate for trying TLS on one machine ({@code ./courier --tls-self-signed}): an EC P-256 key
 * and a certificate for localhost, 127.0.0.1 and ::1, valid for a year, made once and kept in the
 * data directory, so that a client told to trust {@code cert.pem} keeps trusting it across restarts.
 * Not for a server others reach: their clients cannot know it.
 */
public final class SelfSignedCertificate {
    private SelfSignedCertificate() {
    }

    /** The certificate under {@code dir} (cert.pem, key.pem), made first when it is not there. */
    public static Tls.Source in(Path dir) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        if (!Files.exists(cert) || !Files.exists(key)) {
            make(dir, cert, key);
        }
        return Tls.Source.pem(cert, key);
    }

    private static void make(Path dir, Path cert, Path key) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=localhost, O=Courier (self-signed)");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.iPAddress, "::1")}));
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            Files.createDirectories(dir);
            Files.writeString(cert, pem(new PemObject("CERTIFICATE", holder.getEncoded())));
            Files.writeString(key, pem(new PemObject("PRIVATE KEY", pair.getPrivate().getEncoded()))); // PKCS#8
        } catch (IOException e) {
            throw new UncheckedIOException("TLS: cannot write the self-signed certificate to " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("TLS: cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static String pem(PemObject object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
