package io.convtrail.api.settings;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.Positive;

import java.time.Duration;

/** {@code @Positive Duration}: longer than zero. */
public class PositiveDuration implements ConstraintValidator<Positive, Duration> {

    @Override
    public boolean isValid(Duration value, ConstraintValidatorContext context) {
        return value == null || (!value.isNegative() && !value.isZero());
    }
}
