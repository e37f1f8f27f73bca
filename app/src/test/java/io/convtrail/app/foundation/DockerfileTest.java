package io.convtrail.app.foundation;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Dockerfile's promises, read from the file (there is no Docker engine here to build it; when one
 * answers, {@link #dockerAcceptsTheDockerfile} has it check the file too): the service runs as a
 * user of its own, from the jar's layers in the order Spring Boot declares them, with a health check,
 * and dependencies are resolved from the poms before the sources are copied, into a cache mount.
 */
class DockerfileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> BOOT_LAYERS =
            List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");

    @Test
    void theServiceRunsAsAnUnprivilegedUser() throws IOException {
        List<String> runtime = runtimeStage();

        List<String> users = runtime.stream().filter(line -> line.startsWith("USER ")).toList();
        assertThat(users).as("USER in the final stage").isNotEmpty();
        String user = users.get(users.size() - 1).substring(5).strip();
        assertThat(user).isNotIn("root", "0", "0:0");
        assertThat(String.join("\n", runtime)).contains("useradd --system --gid " + user);
        assertThat(runtime.indexOf(users.get(users.size() - 1)))
                .as("USER before the ENTRYPOINT").isLessThan(indexOf(runtime, "ENTRYPOINT"));
    }

    @Test
    void theImageIsBuiltFromTheJarsLayersInBootsOrder() throws IOException {
        List<String> dockerfile = instructions();
        assertThat(String.join("\n", dockerfile)).contains("java -Djarmode=tools -jar app/target/convtrail.jar "
                + "extract --layers --launcher --destination /layers");

        List<String> copied = new ArrayList<>();
        Matcher layer = Pattern.compile("COPY --from=build /layers/([a-z-]+)/ \\./").matcher("");
        for (String line : runtimeStage()) {
            if (layer.reset(line).matches()) {
                copied.add(layer.group(1));
            }
        }
        assertThat(copied).containsExactlyElementsOf(BOOT_LAYERS);
        assertThat(runtimeStage()).contains("ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");

        Path jar = ROOT.resolve("app/target/convtrail.jar");
        if (Files.exists(jar)) {
            try (JarFile built = new JarFile(jar.toFile())) {
                String index = new String(built.getInputStream(built.getEntry("BOOT-INF/layers.idx")).readAllBytes(),
                        StandardCharsets.UTF_8);
                assertThat(index.lines().filter(line -> line.startsWith("- ")).map(line -> line.replaceAll("[-\":\\s]+$", "")
                        .replaceFirst("^- \"", "")).toList()).as("the built jar's layers").isEqualTo(BOOT_LAYERS);
            }
        }
    }

    @Test
    void theImageChecksItsOwnHealth() throws IOException {
        String healthcheck = String.join("\n", runtimeStage());
        assertThat(healthcheck).containsPattern("HEALTHCHECK [^\\n]*--start-period=")
                .contains("curl -fsS \"http://localhost:${PORT:-8080}/actuator/health/liveness\" || exit 1")
                .contains("apt-get install -y --no-install-recommends curl");
    }

    @Test
    void dependenciesAreResolvedFromThePomsBeforeTheSourcesAndCachedBetweenBuilds() throws IOException {
        List<String> build = buildStage();
        int sources = indexOf(build, "COPY . .");
        int offline = indexOf(build, "RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline");
        assertThat(offline).as("dependencies resolved before the sources arrive").isBetween(0, sources);
        try (Stream<Path> poms = Files.walk(ROOT, 2)) {
            List<String> modules = poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .map(p -> ROOT.relativize(p.getParent()).toString())
                    .filter(dir -> !dir.equals("bench")) // a profile's module, not in the default build
                    .map(dir -> dir.isEmpty() ? "COPY pom.xml ./" : "COPY " + dir + "/pom.xml " + dir + "/").toList();
            assertThat(build.subList(0, offline)).as("every module's pom copied first").containsAll(modules);
        }
        assertThat(build.get(sources + 1)).startsWith("RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package");
        assertThat(Files.readAllLines(ROOT.resolve("Dockerfile")).get(0)).isEqualTo("# syntax=docker/dockerfile:1");
    }

    @Test
    void theLicenseIsTheOneTheApiDocumentsName() throws IOException {
        String license = Files.readString(ROOT.resolve("LICENSE"));
        assertThat(license.strip()).startsWith("Apache License\n                           Version 2.0, January 2004");
        assertThat(Files.readString(ROOT.resolve("query-side/src/main/resources/static/asyncapi.yaml")))
                .contains("license:\n    name: Apache-2.0");
        assertThat(Files.readString(ROOT.resolve("pom.xml")))
                .contains("<name>Apache-2.0</name>", "<url>https://www.apache.org/licenses/LICENSE-2.0</url>");
    }

    /** Only where a Docker engine answers: its own check of the Dockerfile (build rules and syntax). */
    @Test
    void dockerAcceptsTheDockerfile() throws Exception {
        assumeTrue(run("docker", "info") == 0, "no Docker engine here");
        assertThat(run("docker", "build", "--check", ROOT.toString())).isZero();
    }

    private static int run(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(120, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException notInstalled) {
            return -1;
        }
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> buildStage() throws IOException {
        List<String> all = instructions();
        return all.subList(0, lastFrom(all));
    }

    private static List<String> runtimeStage() throws IOException {
        List<String> all = instructions();
        return all.subList(lastFrom(all), all.size());
    }

    private static int lastFrom(List<String> instructions) {
        int last = -1;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).startsWith("FROM ")) {
                last = i;
            }
        }
        return last;
    }

    /** The Dockerfile's instructions, one per entry, continuation lines joined, comments left out. */
    private static List<String> instructions() throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || stripped.isEmpty()) {
                continue;
            }
            boolean continues = stripped.endsWith("\\");
            current.append(current.length() == 0 ? "" : " ").append(continues
                    ? stripped.substring(0, stripped.length() - 1).strip() : stripped);
            if (!continues) {
                instructions.add(current.toString());
                current.setLength(0);
            }
        }
        return instructions;
    }
}
