# syntax=docker/dockerfile:1
# Builds convtrail from source and runs it on a JRE as an unprivileged user. Used by docker-compose.yml.
# BuildKit (the default builder) keeps Maven's repository in a cache mount between builds, and the
# dependency layer is resolved from the poms alone, so a source change does not download anything again.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY api-contract/pom.xml api-contract/
COPY test-support/pom.xml test-support/
COPY command-side/pom.xml command-side/
COPY query-side/pom.xml query-side/
COPY app/pom.xml app/
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline -DexcludeGroupIds=io.convtrail
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package \
    && java -Djarmode=tools -jar app/target/convtrail.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre
# curl for the health check; the service itself needs nothing beyond the JRE
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system convtrail \
    && useradd --system --gid convtrail --home-dir /app --shell /usr/sbin/nologin convtrail \
    && mkdir -p /app/data && chown convtrail:convtrail /app/data
WORKDIR /app
# the jar's layers, least often changed first: a new build of convtrail replaces only the last one
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# the generated secret and the embedded PostgreSQL's data live in /app/data (PostgreSQL refuses to run as root)
USER convtrail
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
    CMD curl -fsS "http://localhost:${PORT:-8080}/actuator/health/liveness" || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
