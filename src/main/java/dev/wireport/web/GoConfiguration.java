package dev.wireport.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * {@code /go} as a servlet of its own, mapped to exactly that path, beside Spring MVC's
 * dispatcher: the filters still run (the {@code http.server.requests} observation among
 * them), but not the dispatcher's per-request work (request attributes, locale and
 * request context, handler lookup and adapter, the request-handled bookkeeping), which
 * was about a fifth of this path's CPU profile for an answer that needs none of it.
 */
@Configuration(proxyBeanMethods = false)
class GoConfiguration {

	/** The path, and the {@code uri} tag of its requests in the metrics. */
	static final String PATH = "/go";

	@Bean
	GoHandler goHandler(GoProperties properties, JsonMapper jsonMapper) {
		return new GoHandler(properties, jsonMapper);
	}

	@Bean
	ServletRegistrationBean<GoServlet> goServlet(GoHandler goHandler) {
		ServletRegistrationBean<GoServlet> registration = new ServletRegistrationBean<>(new GoServlet(goHandler), PATH);
		registration.setName("go");
		registration.setLoadOnStartup(1);
		return registration;
	}

	/**
	 * Hands every method to the handler, which answers the seed's methods and refuses the
	 * others itself.
	 */
	static final class GoServlet extends HttpServlet {

		private final transient GoHandler handler;

		GoServlet(GoHandler handler) {
			this.handler = handler;
		}

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
			// Spring MVC names the matched pattern for the observation; outside it, the
			// servlet does, so that the requests are tagged uri="/go", not UNKNOWN.
			ServerHttpObservationFilter.findObservationContext(request)
				.ifPresent((context) -> context.setPathPattern(PATH));
			this.handler.handleRequest(request, response);
		}

	}

}
