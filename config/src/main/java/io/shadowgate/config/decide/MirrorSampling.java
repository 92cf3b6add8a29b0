package io.shadowgate.config.decide;

import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.RequestView;
import java.util.List;

/**
 * Which mirrors of a forward route one request samples, Envoy's way: one 64-bit value decides every policy
 * ({@link MirrorPolicy#sampled(long)}: {@code value % denominator < numerator}), so policies nest (a request mirrored
 * at 10% is also mirrored at 20%). The value is the request's random value, or, with a
 * {@code shadowgate.io/mirror-sample-key} present in the request, the {@link Hashing#hash64} of the key's value, so
 * that a user is always or never mirrored.
 *
 * <p>Sampling and the method filter are configuration; whether a sampled mirror really starts (the cluster exists at
 * runtime, in-flight and byte budgets, the CPU budget) is the proxy's to decide.
 *
 * @param value         the value the policies were sampled with
 * @param sampleKey     the sample key whose hash gave {@code value}, or {@code null} when the random value did
 * @param methodAllowed whether the request's method may be mirrored ({@code shadowgate.io/mirror-methods}); when
 *                      not, the sampled mirrors are skipped, and counted as skipped by the proxy
 * @param sampled       the route's mirror policies that {@code value} samples, in route order (method filter not
 *                      applied)
 */
public record MirrorSampling(long value, MirrorOptions.SampleKey sampleKey, boolean methodAllowed,
                             List<MirrorPolicy> sampled) {

    /** A route without mirrors, or no forward route. */
    public static final MirrorSampling NONE = new MirrorSampling(0, null, true, List.of());

    public MirrorSampling {
        sampled = List.copyOf(sampled);
    }

    /** The mirrors of {@code forward} that {@code request}, with random value {@code random}, samples. */
    public static MirrorSampling sample(ForwardAction forward, RequestView request, long random) {
        if (forward.mirrors().isEmpty()) {
            return NONE;
        }
        MirrorOptions mo = forward.mirrorOptions() == null ? MirrorOptions.DEFAULTS : forward.mirrorOptions();
        long value = random;
        MirrorOptions.SampleKey keyedBy = null;
        if (mo.sampleKey() != null) {
            String key = mo.sampleKey().valueIn(request);
            if (key != null) {
                value = Hashing.hash64(key);
                keyedBy = mo.sampleKey();
            }
        }
        List<MirrorPolicy> all = forward.mirrors();
        int count = 0;
        for (MirrorPolicy policy : all) {
            if (policy.sampled(value)) {
                count++;
            }
        }
        List<MirrorPolicy> sampled;
        if (count == 0 || count == all.size()) {
            sampled = count == 0 ? List.of() : all; // immutable already: no copy per request
        } else {
            MirrorPolicy[] some = new MirrorPolicy[count];
            int i = 0;
            for (MirrorPolicy policy : all) {
                if (policy.sampled(value)) {
                    some[i++] = policy;
                }
            }
            sampled = List.of(some);
        }
        return new MirrorSampling(value, keyedBy, mo.allowsMethod(request.method()), sampled);
    }

    /** Whether {@code policy} (one of the route's, by identity) is sampled and the method may be mirrored. */
    public boolean mirrors(MirrorPolicy policy) {
        if (!methodAllowed) {
            return false;
        }
        for (MirrorPolicy p : sampled) {
            if (p == policy) {
                return true;
            }
        }
        return false;
    }
}
