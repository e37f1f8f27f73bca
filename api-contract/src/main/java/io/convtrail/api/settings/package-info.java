/**
 * Bean Validation for the settings records of every module ({@code @Validated @ConfigurationProperties}):
 * Boot checks the constraints as it binds and stops startup with the property, its value, where it came
 * from and the reason (the app's InvalidSettingsFailureAnalyzer words it). The standard {@code @Positive}
 * and {@code @PositiveOrZero} apply to numbers only, so this package teaches them
 * {@link java.time.Duration} and {@link org.springframework.util.unit.DataSize} (registered through
 * {@code META-INF/services/jakarta.validation.ConstraintValidator}): a setting reads
 * {@code @Positive DataSize maxMessageSize} like any other.
 */
package io.convtrail.api.settings;
