# syntax=docker/dockerfile:1
# Build:  docker build -t instabeam .
# Run:    docker run --rm -e INSTAGRAM_ACCESS_TOKEN -v "$PWD/output:/output" instabeam --output=/output
# Demo:   docker run --rm instabeam --demo --output=/tmp/output

# --- build stage: the bundled jar with every runner ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY schemas/pom.xml schemas/
COPY transforms/pom.xml transforms/
COPY pipeline/pom.xml pipeline/
COPY emulator/pom.xml emulator/
COPY benchmarks/pom.xml benchmarks/
COPY schemas/src schemas/src
COPY transforms/src transforms/src
COPY pipeline/src pipeline/src
COPY emulator/src emulator/src
COPY benchmarks/src benchmarks/src
RUN mvn -B -q -DskipTests package

# --- Dataflow Flex Template image: docker build --target flex-template -t REGION-docker.pkg.dev/P/R/instabeam . ---
FROM gcr.io/dataflow-templates-base/java17-template-launcher-base AS flex-template
ENV FLEX_TEMPLATE_JAVA_MAIN_CLASS="io.instabeam.pipeline.Main"
ENV FLEX_TEMPLATE_JAVA_CLASSPATH="/template/instabeam.jar"
COPY --from=build /src/pipeline/target/instabeam.jar /template/instabeam.jar

# --- runtime stage (the default target, last): a slim JRE and the jar; the entrypoint is the job ---
FROM eclipse-temurin:17-jre AS runtime
RUN useradd --system --uid 10001 instabeam
COPY --from=build /src/pipeline/target/instabeam.jar /src/pipeline/target/instabeam \
    /src/pipeline/target/write-class-archive /opt/instabeam/
# The class-data archive must come from this image's JVM and this jar path (docs/runners-and-performance.md
# "Start-up").
RUN /opt/instabeam/write-class-archive
USER instabeam
WORKDIR /home/instabeam
# The launcher runs the jar with the JVM settings of a short, network-bound batch run (C1 only, serial GC, the archive;
# out of memory, the JVM exits at once instead of lingering half-alive with its lock: docs/operations.md "Locks").
ENTRYPOINT ["/opt/instabeam/instabeam"]
