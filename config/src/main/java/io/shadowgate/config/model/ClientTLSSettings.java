package io.shadowgate.config.model;

import java.util.List;

/**
 * Istio {@code ClientTLSSettings} (upstream TLS). Parsed and kept; TLS origination is not implemented yet.
 *
 * @param mode               {@code DISABLE}, {@code SIMPLE}, {@code MUTUAL}, {@code ISTIO_MUTUAL}
 * @param clientCertificate  client certificate file
 * @param privateKey         client key file
 * @param caCertificates     CA bundle file
 * @param credentialName     Kubernetes secret name
 * @param subjectAltNames    accepted server SANs
 * @param sni                SNI to send
 * @param insecureSkipVerify skip server verification
 * @param caCrl              CRL file
 */
public record ClientTLSSettings(String mode, String clientCertificate, String privateKey, String caCertificates,
                                String credentialName, List<String> subjectAltNames, String sni,
                                Boolean insecureSkipVerify, String caCrl) {
}
