package io.shadowgate.config.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component that Istio deprecated. The loader warns when it is used and never suggests it as the
 * "did you mean" for a misspelt field (so {@code mirrorPercnt} suggests {@code mirrorPercentage}, not the deprecated
 * {@code mirrorPercent}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface IstioDeprecated {
    /** The field to use instead. */
    String use();
}
