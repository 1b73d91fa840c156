# syntax=docker/dockerfile:1
#
# meshcast adapter image: multi-stage build, distroless JRE 17 runtime, non-root.
#   docker build -t ghcr.io/meshcast/meshcast:0.1.0 .
# NOTE: this Dockerfile has not been built in meshcast's CI (the build machine has no container
# engine); the jar it packages is the one `mvn -B verify` builds and tests.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependency layer: only the POMs, so source edits do not re-download the world.
COPY pom.xml ./
COPY forecaster/pom.xml forecaster/
COPY adapter/pom.xml adapter/
COPY load-tests/pom.xml load-tests/
RUN mvn -B -ntp -q -pl adapter -am dependency:go-offline || true
COPY forecaster/src forecaster/src
COPY adapter/src adapter/src
RUN mvn -B -ntp -pl adapter -am -DskipTests package \
 && cp adapter/target/meshcast.jar /meshcast.jar

# distroless: glibc + JRE only, no shell, no package manager; "nonroot" = uid/gid 65532.
FROM gcr.io/distroless/java17-debian12:nonroot
COPY --from=build --chown=65532:65532 /meshcast.jar /app/meshcast.jar
USER 65532:65532
EXPOSE 6443
# The root filesystem is mounted read-only in Kubernetes; the JVM only needs /tmp (an emptyDir).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
ENTRYPOINT ["java", "-jar", "/app/meshcast.jar"]
CMD ["serve", "--secure-port=6443"]
