package dev.wireport.web;

import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * {@code /go} in Spring MVC: the dispatcher asks this mapping first, and it finds the
 * handler with one map lookup instead of matching every method's conditions.
 */
@Configuration(proxyBeanMethods = false)
class GoConfiguration {

	@Bean
	GoHandler goHandler(GoProperties properties, JsonMapper jsonMapper) {
		return new GoHandler(properties, jsonMapper);
	}

	@Bean
	SimpleUrlHandlerMapping goHandlerMapping(GoHandler goHandler) {
		return new SimpleUrlHandlerMapping(Map.of("/go", goHandler), Ordered.HIGHEST_PRECEDENCE);
	}

}
