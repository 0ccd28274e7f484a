# The local runner as a container image, for those with Docker (or podman with registry access):
#   docker build -t bulwark . && docker run -p 8080:8080 bulwark
# The same image as `mvn -B -pl functions -am package -DskipTests -Pcontainer` builds offline into
# functions/target/bulwark-image.tar (src/container/build-image.sh): the same jar, the same jlinked runtime (modules in
# functions/src/container/jlink-modules), user 1000, /data as the working directory, the same entry point
# (DockerfileTest checks that they agree). Here the C libraries come from a Debian base instead of the build machine.

# 1. Build: the container jar (flat, linux x86_64 natives only, no WireMock/chaos/tools) and a jlinked runtime.
FROM docker.io/library/maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -pl functions -am package -DskipTests -Pcontainer -Dbulwark.image.tarball.skip=true
RUN jlink --add-modules "$(tr -d '[:space:]' < functions/src/container/jlink-modules)" \
      --strip-debug --no-header-files --no-man-pages --output /opt/java

# 2. Run: Debian's C libraries (glibc, libstdc++ for onnxruntime), the runtime and the jar; no JDK, no Maven.
FROM docker.io/library/debian:bookworm-slim
RUN useradd --uid 1000 --user-group --home-dir /data --create-home --shell /usr/sbin/nologin bulwark
COPY --from=build /opt/java /opt/java
COPY --from=build /src/functions/target/bulwark-container.jar /app/bulwark.jar
ENV JAVA_HOME=/opt/java PATH=/opt/java/bin:$PATH LANG=C.UTF-8
USER 1000:1000
WORKDIR /data
EXPOSE 8080
ENTRYPOINT ["/opt/java/bin/java","-XX:MaxRAMPercentage=75","-jar","/app/bulwark.jar"]
