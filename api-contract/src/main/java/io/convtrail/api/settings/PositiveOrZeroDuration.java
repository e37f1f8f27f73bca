package io.convtrail.api.settings;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.PositiveOrZero;

import java.time.Duration;

/** {@code @PositiveOrZero Duration}: not negative. */
public class PositiveOrZeroDuration implements ConstraintValidator<PositiveOrZero, Duration> {

    @Override
    public boolean isValid(Duration value, ConstraintValidatorContext context) {
        return value == null || !value.isNegative();
    }
}
