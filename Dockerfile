# syntax=docker/dockerfile:1
# wireport: build with the Maven wrapper, extract Boot's layers, run on a JRE 25.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /build
# Build files first: the dependency layer is rebuilt only when they change.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/wireport.jar extract --layers --destination /extracted

FROM eclipse-temurin:25-jre
WORKDIR /app
# Least likely to change first, so a code change rebuilds only the last layer.
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
# The start-up fast path (docs/deployment.md): Spring AOT's generated code, which the jar
# carries (-Dspring.aot.enabled=true), with a Java 25 AOT cache (JEP 514/515) trained from
# this very jar in the same mode: a run started until ready (every listener bound), then
# stopped, so classes come loaded and linked and the bean definitions come as code.
COPY deploy/train-aot-cache.sh /tmp/train-aot-cache.sh
RUN /tmp/train-aot-cache.sh /app/wireport.aot 8080 --sun-misc-unsafe-memory-access=allow -Dspring.aot.enabled=true \
    -jar /app/wireport.jar \
 && rm /tmp/train-aot-cache.sh
USER 10001:10001
EXPOSE 8080/tcp 8081/tcp 9000/tcp 9080/tcp 8090/udp
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"
# Netty's buffers and reference counts on sun.misc.Unsafe, which Java 25 allows only when
# asked: without it a pipelined message cost 20-25 % more CPU (docs/performance.md).
ENTRYPOINT ["java", "--sun-misc-unsafe-memory-access=allow", "-XX:AOTCache=/app/wireport.aot", "-Dspring.aot.enabled=true", "-jar", "/app/wireport.jar"]
