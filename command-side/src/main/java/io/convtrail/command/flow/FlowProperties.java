package io.convtrail.command.flow;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where flows come from and which one runs.
 *
 * @param location a Spring resource: a directory ({@code classpath:flows/}, {@code file:/etc/convtrail/flows/})
 *                 whose {@code *.yml} / {@code *.yaml} files are all loaded and validated, or one file
 * @param active   the id of the flow that runs turns
 */
@Validated
@ConfigurationProperties("convtrail.flow")
public record FlowProperties(
        @DefaultValue("classpath:flows/") @NotBlank String location,
        @DefaultValue("loan-demo") @NotBlank String active) {
}
