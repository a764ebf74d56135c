package dev.wireport.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@code /go} as a Spring MVC functional endpoint: every method on exactly that path goes
 * to {@link GoHandler}. The route's pattern names its requests in the
 * {@code http.server.requests} observation ({@code uri="/go"}).
 */
@Configuration(proxyBeanMethods = false)
class GoConfiguration {

	@Bean
	RouterFunction<ServerResponse> goRoute(GoProperties properties) {
		return RouterFunctions.route(RequestPredicates.path("/go"), new GoHandler(properties));
	}

}
