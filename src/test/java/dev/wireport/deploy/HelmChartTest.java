package dev.wireport.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.wireport.framing.Framing;
import dev.wireport.io.IoProperties;
import dev.wireport.tcp.ProxyProtocol;
import dev.wireport.tcp.TcpListenerSettings;
import dev.wireport.payload.ReplyMode;
import dev.wireport.tcp.TcpProperties;
import dev.wireport.tcp.TlsClientAuth;
import dev.wireport.udp.UdpListenerSettings;
import dev.wireport.udp.UdpProperties;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.autoconfigure.ssl.PemSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Renders the Helm chart and checks it against the service itself: the configuration it
 * renders binds to the service's own properties, and the ports and probe paths of the pod
 * and Service are the ones the service listens on. Needs a helm binary
 * ({@code WIREPORT_HELM} or {@code helm} on the PATH); {@code .ci/run} installs one.
 */
class HelmChartTest {

	private static final Path CHART = Path.of("helm", "wireport");

	private static final Path RULES = Path.of("deploy", "prometheus", "alerts.yml");

	private static final Path DASHBOARD = Path.of("deploy", "grafana", "dashboards", "wireport.json");

	@Test
	void defaultValuesRenderTheServicesOwnDefaults() throws Exception {
		List<Map<String, Object>> manifests = render();
		TcpProperties serviceDefaults = bind("wireport.tcp", TcpProperties.class, applicationYml());
		List<TcpListenerSettings> defaults = serviceDefaults.listenerSettings();

		TcpProperties rendered = bindRendered(manifests, "wireport.tcp", TcpProperties.class);
		assertThat(rendered.drainTimeout()).isEqualTo(serviceDefaults.drainTimeout());
		IoProperties ioDefaults = new Binder().bindOrCreate("wireport.io", IoProperties.class);
		assertThat(bindRendered(manifests, "wireport.io", IoProperties.class)).isEqualTo(ioDefaults);
		assertThat(rendered.listenerSettings())
			.extracting(TcpListenerSettings::name, TcpListenerSettings::port, TcpListenerSettings::framing,
					TcpListenerSettings::maxFrameSize, TcpListenerSettings::idleTimeout,
					TcpListenerSettings::frameTimeout, TcpListenerSettings::writeTimeout,
					TcpListenerSettings::maxConnections, TcpListenerSettings::logRate)
			.containsExactlyElementsOf(defaults.stream()
				.map((listener) -> tuple(listener.name(), listener.port(), listener.framing(), listener.maxFrameSize(),
						listener.idleTimeout(), listener.frameTimeout(), listener.writeTimeout(),
						listener.maxConnections(), listener.logRate()))
				.toList());

		List<UdpListenerSettings> udpDefaults = bind("wireport.udp", UdpProperties.class, applicationYml())
			.listenerSettings();
		assertThat(bindRendered(manifests, "wireport.udp", UdpProperties.class).listenerSettings())
			.extracting(UdpListenerSettings::name, UdpListenerSettings::port)
			.containsExactlyElementsOf(
					udpDefaults.stream().map((listener) -> tuple(listener.name(), listener.port())).toList());

		Map<String, Object> container = container(manifests);
		Map<String, Integer> containerPorts = ports(list(container.get("ports")), "containerPort");
		for (TcpListenerSettings listener : defaults) {
			assertThat(containerPorts).containsEntry("tcp-" + listener.name(), listener.port());
		}
		for (UdpListenerSettings listener : udpDefaults) {
			assertThat(containerPorts).containsEntry("udp-" + listener.name(), listener.port());
		}
		Map<String, Object> service = application();
		assertThat(containerPorts).containsEntry("http", 8080)
			.containsEntry("management", (Integer) path(service, "management.server.port"));
		assertThat(ports(list(path(manifest(manifests, "Service"), "spec.ports")), "port"))
			.containsAllEntriesOf(Map.of("http", 8080, "tcp-seed", 9000, "tcp-framed", 9080, "udp-seed", 8090));

		assertThat(path(container, "livenessProbe.httpGet.path")).isEqualTo("/livez");
		assertThat(path(container, "startupProbe.httpGet.path")).isEqualTo("/livez");
		assertThat(path(container, "readinessProbe.httpGet.path")).isEqualTo("/readyz");
		assertThat(path(container, "readinessProbe.httpGet.port")).isEqualTo("http");
		// The service serves those paths on its main port only with this switch on.
		assertThat(path(service, "management.endpoint.health.probes.add-additional-paths")).isEqualTo(true);
	}

	@Test
	void nonDefaultValuesRenderExactlyTheListedListeners() throws Exception {
		List<Map<String, Object>> manifests = render("-f", "helm/ci/custom-values.yaml");

		TcpProperties rendered = bindRendered(manifests, "wireport.tcp", TcpProperties.class);
		assertThat(rendered.listenerSettings()).singleElement().satisfies((listener) -> {
			assertThat(listener.name()).isEqualTo("devices");
			assertThat(listener.port()).isEqualTo(7000);
			assertThat(listener.framing()).isEqualTo(Framing.LENGTH_HEADER_4);
			assertThat(listener.maxFrameSize()).isEqualTo(1024 * 1024);
			assertThat(listener.proxyProtocol()).isEqualTo(ProxyProtocol.REQUIRED);
		});
		assertThat(bindRendered(manifests, "wireport.udp", UdpProperties.class).listenerSettings())
			.extracting(UdpListenerSettings::name, UdpListenerSettings::port, UdpListenerSettings::reply)
			.containsExactly(tuple("seed", 8090, ReplyMode.ACK), tuple("telemetry", 8091, ReplyMode.ECHO));
		assertThat(path(manifest(manifests, "Service"), "spec.type")).isEqualTo("LoadBalancer");
		assertThat(manifests).anySatisfy((manifest) -> assertThat(manifest.get("kind")).isEqualTo("ServiceMonitor"));
	}

	/**
	 * A TLS listener from a Secret in cert-manager's shape: the Secret is mounted, the
	 * listener's SSL bundle reads its files from the mount, and the service binds both.
	 */
	@Test
	void aTlsListenerReadsItsBundleFromTheMountedSecret() throws Exception {
		List<Map<String, Object>> manifests = render("--set", "tcp.listeners.secure.port=9443", "--set",
				"tcp.listeners.secure.framing=lf", "--set", "tcp.listeners.secure.tls.secretName=wireport-tls", "--set",
				"tcp.listeners.secure.tls.clientAuth=need");

		TcpProperties rendered = bindRendered(manifests, "wireport.tcp", TcpProperties.class);
		TcpProperties.Ssl ssl = rendered.listeners().get("secure").ssl();
		assertThat(ssl.bundle()).isEqualTo("tcp-secure");
		assertThat(ssl.clientAuth()).isEqualTo(TlsClientAuth.NEED);
		assertThat(rendered.listeners().get("seed").ssl().bundle()).isNull();
		PemSslBundleProperties bundle = bindRendered(manifests, "spring.ssl", SslProperties.class).getBundle()
			.getPem()
			.get(ssl.bundle());
		assertThat(bundle.isReloadOnUpdate()).isTrue();

		Map<String, Object> pod = map(path(manifest(manifests, "Deployment"), "spec.template.spec"));
		Object volume = list(pod.get("volumes")).stream()
			.filter((candidate) -> map(candidate).containsKey("secret")
					&& "wireport-tls".equals(path(map(candidate), "secret.secretName")))
			.findFirst()
			.orElseThrow();
		Object mount = list(container(manifests).get("volumeMounts")).stream()
			.filter((candidate) -> map(candidate).get("name").equals(map(volume).get("name")))
			.findFirst()
			.orElseThrow();
		String directory = "file:" + map(mount).get("mountPath") + "/";
		assertThat(bundle.getKeystore().getCertificate()).isEqualTo(directory + "tls.crt");
		assertThat(bundle.getKeystore().getPrivateKey()).isEqualTo(directory + "tls.key");
		assertThat(bundle.getTruststore().getCertificate()).isEqualTo(directory + "ca.crt");
	}

	@Test
	void noListenerHasTlsByDefault() throws Exception {
		List<Map<String, Object>> manifests = render();

		assertThat(bindRendered(manifests, "wireport.tcp", TcpProperties.class).listeners().values())
			.allSatisfy((listener) -> assertThat(listener.ssl().bundle()).isNull());
		assertThat(applicationYaml(manifests)).doesNotContain("ssl");
	}

	@Test
	void chartCarriesTheAlertRulesAndDashboardThatDeployHolds() throws IOException {
		// Helm reads no file outside the chart, so the chart holds copies; they must not
		// drift from the files docker-compose and .ci/prometheus-check use.
		assertThat(CHART.resolve("files/alerts.yml")).hasSameTextualContentAs(RULES);
		assertThat(CHART.resolve("files/wireport-dashboard.json")).hasSameTextualContentAs(DASHBOARD);
	}

	@Test
	void prometheusRuleAndDashboardRenderWhenEnabled() throws Exception {
		List<Map<String, Object>> manifests = render("--set",
				"metrics.prometheusRule.enabled=true,metrics.grafanaDashboard.enabled=true,"
						+ "metrics.serviceMonitor.enabled=true");

		Map<String, Object> rules = new Yaml().load(Files.readString(RULES));
		assertThat(manifest(manifests, "PrometheusRule").get("spec")).isEqualTo(rules);
		Map<String, Object> dashboard = manifests.stream()
			.filter((manifest) -> "1".equals(label(manifest, "grafana_dashboard")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No ConfigMap labelled grafana_dashboard"));
		assertThat(dashboard.get("kind")).isEqualTo("ConfigMap");
		assertThat((String) path(dashboard, "data.wireport.json"))
			.isEqualToIgnoringWhitespace(Files.readString(DASHBOARD));
		// WireportDown matches job="wireport": the ServiceMonitor must name its job so.
		String jobLabel = (String) path(manifest(manifests, "ServiceMonitor"), "spec.jobLabel");
		Map<String, Object> metricsService = manifests.stream()
			.filter((manifest) -> "metrics".equals(label(manifest, "app.kubernetes.io/component")))
			.findFirst()
			.orElseThrow();
		assertThat(label(metricsService, jobLabel)).isEqualTo("wireport");
		assertThat(Files.readString(RULES)).contains("up{job=\"wireport\"} == 0");
	}

	@Test
	void neitherPrometheusRuleNorDashboardByDefault() throws Exception {
		assertThat(render()).noneMatch((manifest) -> "PrometheusRule".equals(manifest.get("kind")))
			.noneMatch((manifest) -> label(manifest, "grafana_dashboard") != null);
	}

	/**
	 * Reply {@code identify} and {@code /go} name the instance by these variables
	 * ({@link dev.wireport.payload.Instance}).
	 */
	@Test
	void thePodKnowsItsNameNamespaceAndNode() throws Exception {
		Map<String, Object> container = container(render());

		assertThat(list(container.get("env"))).map(HelmChartTest::map)
			.filteredOn((variable) -> variable.containsKey("valueFrom"))
			.extracting((variable) -> variable.get("name"),
					(variable) -> path(variable, "valueFrom.fieldRef.fieldPath"))
			.containsExactly(tuple("POD_NAME", "metadata.name"), tuple("POD_NAMESPACE", "metadata.namespace"),
					tuple("NODE_NAME", "spec.nodeName"));
	}

	@Test
	void gracefulTerminationCoversTheServicesShutdown() throws Exception {
		Map<String, Object> pod = map(path(manifest(render(), "Deployment"), "spec.template.spec"));
		Map<String, Object> service = application();
		long lifecycleTimeout = Duration.parse("PT" + path(service, "spring.lifecycle.timeout-per-shutdown-phase"))
			.toSeconds();

		assertThat(((Number) pod.get("terminationGracePeriodSeconds")).longValue()).isGreaterThan(lifecycleTimeout + 5);
	}

	private static List<Map<String, Object>> render(String... extraArgs) throws IOException, InterruptedException {
		String helm = helm();
		assumeThat(helm).as("helm is not installed; .ci/run installs it").isNotNull();
		List<String> command = new ArrayList<>(List.of(helm, "template", "wireport", CHART.toString()));
		command.addAll(List.of(extraArgs));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		List<Map<String, Object>> manifests = new ArrayList<>();
		for (Object document : new Yaml().loadAll(output)) {
			if (document != null) {
				manifests.add(map(document));
			}
		}
		return manifests;
	}

	private static String helm() {
		String configured = System.getenv("WIREPORT_HELM");
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(directory, "helm");
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return null;
	}

	private static String applicationYaml(List<Map<String, Object>> manifests) {
		return (String) path(manifest(manifests, "ConfigMap"), "data.application.yaml");
	}

	/**
	 * Binds configuration files the way the service does, the first file overriding the
	 * others.
	 */
	private static <T> T bind(String prefix, Class<T> type, String... yamls) throws IOException {
		List<PropertySource<?>> sources = new ArrayList<>();
		for (String yaml : yamls) {
			sources.addAll(new YamlPropertySourceLoader().load("file " + sources.size(),
					new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8))));
		}
		return new Binder(ConfigurationPropertySources.from(sources)).bind(prefix, type).get();
	}

	/**
	 * The pod's listeners: the chart's configuration over the service's own.
	 */
	private static <T> T bindRendered(List<Map<String, Object>> manifests, String prefix, Class<T> type)
			throws IOException {
		return bind(prefix, type, applicationYaml(manifests), applicationYml());
	}

	private static Map<String, Object> application() throws IOException {
		return map(new Yaml().load(applicationYml()));
	}

	/**
	 * The service's own configuration file, which holds the default listeners.
	 */
	private static String applicationYml() throws IOException {
		return new ClassPathResource("application.yml").getContentAsString(StandardCharsets.UTF_8);
	}

	private static Map<String, Object> manifest(List<Map<String, Object>> manifests, String kind) {
		return manifests.stream()
			.filter((manifest) -> kind.equals(manifest.get("kind")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No " + kind + " rendered"));
	}

	private static Object label(Map<String, Object> manifest, String name) {
		Object labels = map(manifest.get("metadata")).get("labels");
		return (labels != null) ? map(labels).get(name) : null;
	}

	private static Map<String, Object> container(List<Map<String, Object>> manifests) {
		return map(list(path(manifest(manifests, "Deployment"), "spec.template.spec.containers")).get(0));
	}

	private static Map<String, Integer> ports(List<Object> ports, String numberKey) {
		Map<String, Integer> byName = new LinkedHashMap<>();
		ports.forEach((port) -> byName.put((String) map(port).get("name"), (Integer) map(port).get(numberKey)));
		return byName;
	}

	/**
	 * Walks a dotted path; a segment may itself contain dots when the map has such a key
	 * (Spring Boot's {@code spring.lifecycle...} or {@code data.application.yaml}).
	 */
	private static Object path(Map<String, Object> root, String dottedPath) {
		Object current = root;
		String rest = dottedPath;
		while (!rest.isEmpty()) {
			Map<String, Object> node = map(current);
			String key = longestKey(node, rest);
			current = node.get(key);
			rest = (key.length() < rest.length()) ? rest.substring(key.length() + 1) : "";
		}
		return current;
	}

	private static String longestKey(Map<String, Object> node, String path) {
		String key = path;
		while (!node.containsKey(key)) {
			int dot = key.lastIndexOf('.');
			if (dot < 0) {
				throw new AssertionError("No '" + path + "' in " + node.keySet());
			}
			key = key.substring(0, dot);
		}
		return key;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		return (List<Object>) value;
	}

}
