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
# An AOT cache from a training run that starts the context and exits (Java 25, JEP 514/515):
# classes come loaded and linked, which shortens start-up (see docs/deployment.md).
RUN java -XX:AOTCacheOutput=/app/wireport.aot -Dspring.context.exit=onRefresh \
      -Dwireport.tcp.listeners.seed.port=0 -Dwireport.tcp.listeners.framed.port=0 -Dwireport.udp.listeners.seed.port=0 \
      -Dserver.port=0 -Dmanagement.server.port=0 -jar wireport.jar
USER 10001:10001
EXPOSE 8080/tcp 8081/tcp 9000/tcp 9080/tcp 8090/udp
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-XX:AOTCache=/app/wireport.aot", "-jar", "/app/wireport.jar"]
