package io.shadowgate.config.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Istio {@code ServerTLSSettings}. Parsed and kept; only {@code httpsRedirect} has an effect today.
 *
 * @param httpsRedirect          redirect every HTTP request to HTTPS
 * @param mode                   {@code PASSTHROUGH}, {@code SIMPLE}, {@code MUTUAL}, ...
 * @param serverCertificate      certificate file
 * @param privateKey             key file
 * @param caCertificates         CA bundle file
 * @param credentialName         Kubernetes secret name
 * @param credentialNames        several secret names
 * @param tlsCertificates        kept as written
 * @param subjectAltNames        accepted client SANs
 * @param verifyCertificateSpki  accepted client SPKI hashes
 * @param verifyCertificateHash  accepted client certificate hashes
 * @param minProtocolVersion     minimum TLS version
 * @param maxProtocolVersion     maximum TLS version
 * @param cipherSuites           cipher suites
 * @param caCrl                  CRL file
 */
public record ServerTLSSettings(Boolean httpsRedirect, String mode, String serverCertificate, String privateKey,
                                String caCertificates, String credentialName, List<String> credentialNames,
                                JsonNode tlsCertificates, List<String> subjectAltNames,
                                List<String> verifyCertificateSpki, List<String> verifyCertificateHash,
                                String minProtocolVersion, String maxProtocolVersion, List<String> cipherSuites,
                                String caCrl) {
}
