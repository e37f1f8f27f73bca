package io.convtrail.command.engine.tool;

import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/** @param delay how long the demo credit rating tool takes, to show live progress while a tool runs */
@Validated
@ConfigurationProperties("convtrail.demo-tool")
public record DemoToolProperties(@DefaultValue("300ms") @PositiveOrZero Duration delay) {
}
