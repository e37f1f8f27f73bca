package io.convtrail.api.settings;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.Positive;
import org.springframework.util.unit.DataSize;

/** {@code @Positive DataSize}: at least one byte. */
public class PositiveDataSize implements ConstraintValidator<Positive, DataSize> {

    @Override
    public boolean isValid(DataSize value, ConstraintValidatorContext context) {
        return value == null || value.toBytes() > 0;
    }
}
