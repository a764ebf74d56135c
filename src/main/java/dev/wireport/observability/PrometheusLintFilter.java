package dev.wireport.observability;

import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Keeps the Prometheus scrape free of {@code promtool check metrics} lint problems: a few
 * built-in meters whose names carry an abbreviated unit or a {@code _count} suffix are
 * left out (their information is in other meters: {@code process.cpu.usage},
 * {@code jvm.compilation}), and every meter gets help text.
 */
public class PrometheusLintFilter implements MeterFilter {

	private static final Set<String> LEFT_OUT = Set.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count");

	private static final Map<String, String> DESCRIPTIONS = Map.of("http.server.requests",
			"Duration of HTTP server requests", "http.server.requests.active", "HTTP server requests in progress",
			"tomcat.sessions.active.current", "Active Tomcat sessions", "tomcat.sessions.active.max",
			"Most Tomcat sessions active at once", "tomcat.sessions.alive.max", "Longest time a Tomcat session lived",
			"tomcat.sessions.created", "Tomcat sessions created", "tomcat.sessions.expired", "Tomcat sessions expired",
			"tomcat.sessions.rejected", "Tomcat sessions rejected at the session limit");

	@Override
	public MeterFilterReply accept(Meter.Id id) {
		return LEFT_OUT.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		if (id.getDescription() != null && !id.getDescription().isBlank()) {
			return id;
		}
		String description = DESCRIPTIONS.getOrDefault(id.getName(), id.getName());
		return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
	}

}
