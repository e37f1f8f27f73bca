package io.convtrail.app;

import io.convtrail.api.export.ExportVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code java -jar convtrail.jar verify FILE.jsonl}: recomputes an export's hash chain with
 * {@link ExportVerifier} (no database, no service) and exits 0 when it is intact, 1 when not.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify an export's hash chain offline; prints OK <count> events, head <hash>, "
                + "or the first line that breaks the chain and why. Exit code 0 when intact, 1 when not.")
public class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "an export (NDJSON) of one conversation or a window")
    Path file;

    @Override
    public Integer call() {
        ExportVerifier.Result result;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            result = ExportVerifier.verify(lines);
        } catch (IOException e) {
            System.out.println("BROKEN: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        System.out.println(result.describe());
        return result.intact() ? 0 : 1;
    }
}
